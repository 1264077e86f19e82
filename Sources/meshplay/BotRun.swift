import ArgumentParser
import Bots
import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import Netplay
import NetplayNIO
import ReplayRecording

/// Launches the bots of one `meshplay bot` process, each a node on its own UDP socket, and
/// waits for them.
///
/// The first bot binds the given port and is the others' way in (a creating process's
/// other bots join its room through it); every bot also gets the addresses the
/// `--peer` / `--resolver` / `--lan` options resolve to.
struct BotRun {
    var count: Int
    var bindHost: String
    var firstPort: Int
    var find: MeshFindOptions
    /// Joiners reach the host only through the resolver's relay (the first bot; the others through it).
    var relayOnly = false
    /// The first bot's keys (from `--identity`), else fresh ones.
    var identity: NodeIdentity?
    var plan: (Int) -> BotPlan

    /// Plays until every bot is done or has given up; `announceAs` (a created room's name)
    /// makes the first bot register with the rendezvous node and announce on the LAN.
    func play(announceAs room: String?) async throws -> [BotReport] {
        // Resolver names are looked up once, not at every round.
        let servers = find.servers
        // Relay-only joiners dial nothing they resolve: the relay's ports come with its grants.
        let resolved = relayOnly ? [] : try await resolveBootstrap(joining: room == nil, servers: servers)
        let plans = (0..<count).map(plan)
        var nodes: [UDPNode] = []
        do {
            for (index, var plan) in plans.enumerated() {
                // The others of a creating process join their host's room by its id: a room of the
                // same name elsewhere on the mesh must not make their join ambiguous.
                if room != nil, case .join(let name) = plan.role, let host = nodes.first {
                    plan.role = .join(room: RoomTarget(name: name, id: RoomID(host: host.identity.peerID)).description)
                }
                nodes.append(try await Self.start(plan, host: bindHost, port: index == 0 ? firstPort : 0,
                                                  bootstrap: resolved + (nodes.first.map { [$0.localAddress] } ?? []),
                                                  identity: index == 0 ? identity : nil))
            }
        } catch {
            for node in nodes { await node.close() }
            FileHandle.standardError.write(Data("meshplay bot: \(error)\n".utf8))
            throw ExitCode(2)
        }
        FileHandle.standardError.write(Data("meshplay bot: \(plans[0].name) listening on \(nodes[0].localAddress)\n".utf8))
        var registration: Task<Void, Never>?
        // What the resolver asks of the game sockets, said on stderr once per destination.
        let told = GameSocketNotes()
        var announcer: LANAnnouncer?
        if room == nil, !servers.isEmpty {
            // Joiners: the addresses found may never answer (a flood, a late host), so ask again every 2 s, at each resolver.
            let (joining, started, timeout, relayOnly) = (joiningRoom, nodes, plans[0].joinTimeout, relayOnly)
            registration = Task {
                await withTaskGroup(of: Void.self) { group in
                    for server in servers {
                        group.addTask {
                            await RendezvousJoin.keepResolving(
                                room: joining, at: RendezvousClient(server: server), for: timeout, into: started, relayOnly: relayOnly
                            ) { relay, member in
                                FileHandle.standardError.write(Data("meshplay bot: relaying through \(relay) toward \(member) (no direct path answered)\n".utf8))
                            }
                        }
                    }
                }
            }
        }
        if room != nil {
            let host = nodes[0]
            let port = Int(host.localAddress.port)
            if !servers.isEmpty {
                // With every resolver, under the lobby name and the room's own name, which a lobby flood cannot crowd out.
                let names = RendezvousJoin.names(hosting: room ?? "")
                registration = Task {
                    await withTaskGroup(of: Void.self) { group in
                        for server in servers {
                            group.addTask {
                                // A newcomer the resolver introduces: one datagram from the game socket opens our NAT to it.
                                await RendezvousJoin.keepRegistered(host, as: names, at: RendezvousClient(server: server)) { datagram in
                                    told.sayOnce(datagram, resolver: server)
                                }
                            }
                        }
                    }
                }
            }
            // Always on the LAN (not only with --lan), so `meshplay play` lists the room with no options.
            announcer = try? await LANAnnouncer.start(bindHost: bindHost) {
                LANAnnouncement(meshName: LobbyMesh.name, locked: false, port: UInt16(port),
                                details: host.mailbox.status?.advert?.encoded(signedBy: host.identity) ?? [])
            }
        }
        var reports = plans.map(BotReport.init(plan:))
        var progress = BotProgress(name: plans[0].name)
        func take(_ index: Int) {
            let events = nodes[index].mailbox.takeEvents()
            if index == 0 { progress.report(events) }
            reports[index].record(events, room: plans[index].roomName)
        }
        // A joiner in its room registers under the room's name too, so later newcomers hear of it.
        let memberships = room != nil ? [] : nodes.map { node in
            Task { await RendezvousJoin.keepRegisteredAsMember(node, at: servers) { told.sayOnce($0, resolver: $1) } }
        }
        while !nodes.allSatisfy(\.mailbox.isStopped) {
            for index in nodes.indices { take(index) }
            try? await Task.sleep(for: .milliseconds(50))
        }
        for membership in memberships { membership.cancel() }
        for index in nodes.indices {
            take(index)
            reports[index].closed()
        }
        registration?.cancel()
        await announcer?.stop()
        for node in nodes { await node.close() }
        return reports
    }

    /// One bot's node: its brain, its pilot following `plan`, its replays.
    static func start(_ plan: BotPlan, host: String, port: Int, bootstrap: [UDPAddress], identity: NodeIdentity? = nil) async throws -> UDPNode {
        var configuration = NodeConfiguration()
        configuration.linger = plan.linger
        let recorders = plan.recordDirectory.map { ReplayRecorderFactory(directory: $0, playerName: plan.name) }
        let skill = plan.skill
        return try await UDPNode.start(
            host: host, port: port, bootstrap: bootstrap, catalog: .builtin, configuration: configuration,
            input: { BotBrainInput(skill: skill) }, pilot: { BotPilot(plan: plan) }, recorders: recorders, seed: plan.seed,
            publishesSnapshots: false, identity: identity)
    }

    /// The room the bots join, when they join one by name.
    private var joiningRoom: String? {
        switch plan(0).role {
        case .join(let name), .rejoin(let name), .watch(let name, _): name
        case .create: nil
        }
    }

    /// The members to join through: for a joining process, asked again until something answers
    /// (at a rendezvous node, the room's own name first, then the lobby name).
    private func resolveBootstrap(joining: Bool, servers: [UDPAddress]) async throws -> [UDPAddress] {
        guard !find.peers.isEmpty || !find.resolvers.isEmpty || find.lan else { return [] }
        let resolver = try find.makeResolver()
        let deadline = ContinuousClock.now + (joining ? .nanoseconds(plan(0).joinTimeout.nanoseconds) : .zero)
        repeat {
            var found: [UDPAddress] = []
            if joining, let room = joiningRoom {
                for server in servers {
                    for address in (try? await RendezvousClient(server: server).resolve(meshName: LobbyMesh.rendezvousName(ofRoom: room))) ?? []
                    where !found.contains(address) { found.append(address) }
                }
            }
            for address in (try? await resolver.resolve(meshName: LobbyMesh.name)) ?? [] where !found.contains(address) { found.append(address) }
            if !found.isEmpty || !joining { return found }
            try await Task.sleep(for: .seconds(1))
        } while ContinuousClock.now < deadline
        let room = joiningRoom.map { "room \($0)" } ?? "the room"
        FileHandle.standardError.write(Data("meshplay bot: \(room) not found: no mesh member answered through \(find.places) within \(plan(0).joinTimeout.nanoseconds / 1_000_000_000) s\n".utf8))
        throw ExitCode(2)
    }
}

/// Says on stderr, once per destination, what a resolver asked a bot's game socket to send
/// (a punch repeats every 2 s while a newcomer looks; once is what a person needs to know).
struct GameSocketNotes: Sendable {
    private let said = SeenAddresses()

    func sayOnce(_ datagram: GameSocketDatagram, resolver: UDPAddress) {
        guard said.insert(datagram.destination) else { return }
        FileHandle.standardError.write(Data("meshplay bot: \(datagram.summary) (resolver \(resolver))\n".utf8))
    }
}
