import ArgumentParser
import MeshTransport
import NIOCore

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
        if let resolver { chain.append(RendezvousClient(server: try HostPort(parsing: resolver).socketAddress())) }
        if lan { chain.append(LANDiscovery()) }
        return ResolverChain(chain)
    }
}
