import ArgumentParser
import MeshTransport
import MeshTransportNIO

/// How a command finds its mesh: `--peer HOST:PORT` (repeatable), `--resolver HOST:PORT`
/// (a `meshplay resolver` rendezvous node; repeatable) and `--lan` (listen for LAN announcements).
/// Commands that join a mesh include these with `@OptionGroup`.
struct MeshFindOptions: ParsableArguments {
    @Option(name: .customLong("peer"), help: "A member's address, HOST:PORT (repeatable).")
    var peers: [String] = []

    @Option(name: .customLong("resolver"), help: "A rendezvous node to ask, HOST:PORT (see `meshplay resolver`); repeatable: a host registers with each, a joiner asks each, and any one that answers is enough.")
    var resolvers: [String] = []

    @Flag(help: "Listen for meshes announced on the LAN (UDP port 47001).")
    var lan = false

    func validate() throws {
        do {
            _ = try StaticResolver(peers: peers)
            for resolver in resolvers { _ = try HostPort(parsing: resolver) }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The resolvers asked, in order: static peers, the rendezvous node, the LAN.
    func makeResolver() throws -> ResolverChain {
        var chain: [any MeshResolver] = []
        if !peers.isEmpty { chain.append(try StaticResolver(peers: peers)) }
        // A resolver whose name does not resolve is skipped, as one that does not answer is: the others still work.
        for server in servers { chain.append(RendezvousClient(server: server)) }
        if lan { chain.append(LANDiscovery()) }
        return ResolverChain(chain)
    }

    /// The rendezvous nodes whose addresses resolve, in the order given.
    var servers: [UDPAddress] { resolvers.compactMap { try? HostPort(parsing: $0).resolveAddress() } }

    /// Where the options look, for messages: "--peer 127.0.0.1:4000, resolver 10.0.0.1:47000, the LAN".
    var places: String {
        var ways: [String] = []
        if !peers.isEmpty { ways.append("--peer " + peers.joined(separator: ", ")) }
        for resolver in resolvers { ways.append("resolver \(resolver)") }
        if lan { ways.append("the LAN") }
        return ways.joined(separator: ", ")
    }
}
