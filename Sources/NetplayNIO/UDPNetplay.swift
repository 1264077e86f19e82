import Bots
import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import NIOCore
import NIOPosix
import Netplay
import ReplayRecording

/// The client's network over real UDP: every node with its own socket, a player's node
/// finding its mesh through `--peer`, a resolver or the LAN, bot nodes on loopback, rooms
/// looked for by ``UDPRoomSearch``.
public final class UDPNetplay: NetplayService {
    /// The games nodes can play.
    public let catalog: GameCatalog
    /// How long a player's node looks for its mesh (through a resolver or the LAN) before giving up.
    public let meshSearchTimeout: Duration
    private let group: EventLoopGroup
    private let log: @Sendable (String) -> Void

    /// A service for `catalog`'s games; `log` gets one line per node started or failed.
    public init(
        catalog: GameCatalog, meshSearchTimeout: Duration = .seconds(30),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.catalog = catalog
        self.meshSearchTimeout = meshSearchTimeout
        self.group = group
        self.log = log
    }

    public func startPlayer(_ request: PlayerNodeRequest) -> any NodeHandle {
        let catalog = self.catalog
        let group = self.group
        let log = self.log
        let timeout = meshSearchTimeout
        return UDPNodeHandle {
            let members = try await Self.findMesh(request, timeout: timeout, log: log)
            // All on loopback (a local room, a peer on this machine): stay on loopback.
            let host = members.allSatisfy(\.isLoopback) ? (members.contains { $0.family == .v6 } ? "::1" : "127.0.0.1") : "0.0.0.0"
            var configuration = NodeConfiguration()
            // A person's node: after a match, a short linger for slower peers, then back in the room.
            configuration.linger = .seconds(1)
            let recorders = request.replaysDirectory.map {
                ReplayRecorderFactory(directory: $0, playerName: request.name, replacesExisting: false)
            }
            let node = try await UDPNode.start(
                host: host, port: request.port, bootstrap: members, catalog: catalog, configuration: configuration,
                input: { KeyPressInput() }, recorders: recorders, identity: request.identity, group: group)
            log("network: \(request.name) listening on \(node.localAddress), mesh through \(request.meshDescription)")
            if case .search(let resolvers, _) = request.mesh, request.room != nil {
                let servers = resolvers.compactMap { try? HostPort(parsing: $0).resolveAddress() }
                // Addresses found may never answer (a flood, a host gone): ask again, at each resolver, while not in the room.
                for server in servers {
                    Task {
                        await RendezvousJoin.keepResolving(room: request.room, at: RendezvousClient(server: server), for: timeout.timeSpan, into: [node]) { relay, member in
                            log("network: relaying through \(relay) toward \(member) (no direct path answered)")
                        }
                    }
                }
                // In the room, a member like any other: a later newcomer the node must punch toward or be relayed to finds it.
                let told = SeenAddresses()
                Task {
                    await RendezvousJoin.keepRegisteredAsMember(node, at: servers) { datagram, resolver in
                        if told.insert(datagram.destination) { log("network: \(datagram.summary) (resolver \(resolver))") }
                    }
                }
            }
            return node
        }
    }

    public func startBot(name: String, skill: BotSkill, seed: UInt64, joining room: String, hostedBy host: any NodeHandle) -> any NodeHandle {
        let catalog = self.catalog
        let group = self.group
        let log = self.log
        let hostHandle = host as? UDPNodeHandle
        return UDPNodeHandle {
            guard let hostNode = await hostHandle?.waitUntilUp() else {
                throw GameSetupError("the room's host is not up, so bot \(name) has nothing to join")
            }
            // A bot of a local room plays every match the host starts, until it is closed.
            let plan = BotPlan(name: name, role: .join(room: room), games: Int.max, skill: skill, seed: seed, joinTimeout: .seconds(10))
            // The host listens on loopback, or on every address (then its loopback one is the way in).
            let hostAddress = hostNode.localAddress
            let way = hostAddress.isLoopback ? hostAddress
                : UDPAddress(ipAddress: hostAddress.family == .v6 ? "::1" : "127.0.0.1", port: Int(hostAddress.port))!
            let node = try await UDPNode.start(
                host: way.ipAddress, port: 0, bootstrap: [way], catalog: catalog,
                input: { BotBrainInput(skill: skill) }, pilot: { BotPilot(plan: plan) }, seed: seed, publishesSnapshots: false,
                group: group)
            log("network: bot \(name) listening on \(node.localAddress), joining room \(room)")
            return node
        }
    }

    public func findRooms(_ places: RoomPlaces) -> any RoomSearch { UDPRoomSearch(places) }

    /// The members to join through: the `--peer` addresses as given, or whatever the resolver
    /// and the LAN answer, asked every second until something does (within `timeout`).
    static func findMesh(_ request: PlayerNodeRequest, timeout: Duration, log: @Sendable (String) -> Void) async throws -> [UDPAddress] {
        switch request.mesh {
        case .own:
            return []
        case .peers(let peers):
            return try peers.map { text in
                guard let hostPort = try? HostPort(parsing: text) else { throw GameSetupError("--peer must be HOST:PORT, got \(text)") }
                return try hostPort.resolveAddress()
            }
        case .search(let resolvers, let lan):
            var chain: [any MeshResolver] = []
            var rendezvous: [RendezvousClient] = []
            for resolver in resolvers {
                guard let server = try? HostPort(parsing: resolver).resolveAddress() else {
                    throw GameSetupError("--resolver must be HOST:PORT, got \(resolver)")
                }
                rendezvous.append(RendezvousClient(server: server))
            }
            chain += rendezvous as [any MeshResolver]
            if lan { chain.append(LANDiscovery()) }
            guard !chain.isEmpty else { throw GameSetupError("nowhere to look for the room: give --peer, --resolver or search the LAN") }
            let searcher = ResolverChain(chain)
            let deadline = ContinuousClock.now + timeout
            repeat {
                var found = (try? await searcher.resolve(meshName: LobbyMesh.name)) ?? []
                if let room = request.room {
                    // The room's own name first, at each resolver: a flood of the lobby name cannot hide it.
                    var own: [UDPAddress] = []
                    for resolver in rendezvous {
                        for address in (try? await resolver.resolve(meshName: LobbyMesh.rendezvousName(ofRoom: room))) ?? []
                        where !own.contains(address) { own.append(address) }
                    }
                    found = own + found.filter { !own.contains($0) }
                }
                if !found.isEmpty {
                    log("network: found \(found.count) mesh member(s) at \(request.meshDescription)")
                    return found
                }
                try await Task.sleep(for: .seconds(1))
            } while ContinuousClock.now < deadline
            throw GameSetupError("no mesh member found at \(request.meshDescription) within \(timeout.components.seconds) s")
        }
    }
}

extension Duration {
    /// The same span as a core's ``TimeSpan`` (whole nanoseconds).
    var timeSpan: TimeSpan {
        let (seconds, attoseconds) = components
        return .seconds(seconds) + TimeSpan(nanoseconds: attoseconds / 1_000_000_000)
    }
}
