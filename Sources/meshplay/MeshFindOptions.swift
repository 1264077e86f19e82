import ArgumentParser
import MeshTransport
import MeshTransportNIO

/// How a command finds its mesh: `--peer HOST:PORT` (repeatable), `--resolver HOST:PORT`
/// (a `meshplay resolver` rendezvous node) and `--lan` (listen for LAN announcements).
/// Commands that join a mesh include these with `@OptionGroup`.
struct MeshFindOptions: ParsableArguments {
    @Option(name: .customLong("peer"), help: "A member's address, HOST:PORT (repeatable).")
    var peers: [String] = []

    @Option(help: "A rendezvous node to ask, HOST:PORT (see `meshplay resolver`).")
    var resolver: String?

    @Flag(help: "Listen for meshes announced on the LAN (UDP port 47001).")
    var lan = false

    func validate() throws {
        do {
            _ = try StaticResolver(peers: peers)
            if let resolver { _ = try HostPort(parsing: resolver) }
        } catch {
            throw ValidationError("\(error)")
        }
    }

    /// The resolvers asked, in order: static peers, the rendezvous node, the LAN.
    func makeResolver() throws -> ResolverChain {
        var chain: [any MeshResolver] = []
        if !peers.isEmpty { chain.append(try StaticResolver(peers: peers)) }
        if let resolver { chain.append(RendezvousClient(server: try HostPort(parsing: resolver).resolveAddress())) }
        if lan { chain.append(LANDiscovery()) }
        return ResolverChain(chain)
    }

    /// Where the options look, for messages: "--peer 127.0.0.1:4000, resolver 10.0.0.1:47000, the LAN".
    var places: String {
        var ways: [String] = []
        if !peers.isEmpty { ways.append("--peer " + peers.joined(separator: ", ")) }
        if let resolver { ways.append("resolver \(resolver)") }
        if lan { ways.append("the LAN") }
        return ways.joined(separator: ", ")
    }
}
