import Bots
import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import Snake
import Testing

/// A stranger that never joins the mesh (a bare link on the open lobby, speaking the room
/// protocol) takes a seat, then falls silent: the seat frees itself within the link timeout.
@Suite("A link-only stranger's seat")
struct LinkOnlySeatTests {
    /// Hands the host node its link events and ticks it.
    static func step(_ node: inout PeerNode<SimulatedAddress>, at address: SimulatedAddress, on network: inout SimulatedNetwork) {
        let events = network.takeEvents(address)
        network.withNode(address) { endpoint, now, output in
            var requests = CoreOutput<SimulatedAddress, NodeEvent>()
            for event in events { node.receive(event, endpoint: &endpoint, at: now, into: &requests) }
            node.tick(endpoint: &endpoint, at: now, into: &requests)
            endpoint.carryOut(requests, at: now, into: &output)
        }
    }

    @Test("a silent link-only member leaves the room within the link timeout, so ghosts cannot fill it")
    func aSilentStrangerFreesItsSeat() throws {
        var network = SimulatedNetwork(seed: 5, defaultConditions: NetworkConditions(latency: .milliseconds(20)))
        let credentials = MeshCredentials(meshName: "meshplay-lobby")
        let host = network.addNode(credentials: credentials)
        let stranger = network.addNode(credentials: credentials)
        let map = SnakeMap.standard
        let settings = RoomSettings(name: "trio", game: SnakeRules.identity, map: map.name,
                                    configBytes: SnakeConfig.standard(map: map, matchTicks: 600).canonicalBytes, playerCap: 3)
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        let plan = BotPlan(name: "host", role: .create(settings: settings, playersToStart: 3), seed: 1)
        var hostNode = PeerNode<SimulatedAddress>(
            identity: network.nodes[0].identity, bootstrap: [], catalog: catalog, input: BotBrainInput(skill: plan.skill),
            pilot: BotPilot(plan: plan), seed: 1, entropy: SeededEntropy(seed: 1))
        let hostPeer = network.peerID(host)
        // The stranger: a bare endpoint and a room core, no mesh membership at all.
        var room = RoomCore(identity: network.nodes[Int(stranger.node)].identity, supportedGames: catalog.identities, entropy: SeededEntropy(seed: 2))
        network.withNode(stranger) { endpoint, now, output in endpoint.connect(to: host, at: now, into: &output) }

        func seated(_ node: PeerNode<SimulatedAddress>, at now: Timestamp) -> Int { node.status(at: now).room?.members.count ?? 0 }
        var silentSince: Timestamp?
        let end = network.now + .seconds(60)
        while network.now < end {
            network.run(for: .milliseconds(5))
            Self.step(&hostNode, at: host, on: &network)
            let strangerEvents = network.takeEvents(stranger)
            guard silentSince == nil else {
                if seated(hostNode, at: network.now) == 1 { break }
                continue
            }
            network.withNode(stranger) { endpoint, now, output in
                var actions: [RoomAction] = []
                for event in strangerEvents {
                    switch event {
                    case .linkUp(let peer, _) where peer == hostPeer:
                        actions += room.join(host: hostPeer, name: "ghost", password: nil, at: now)
                    case .message(let peer, RoomCore.channel, let bytes, true):
                        actions += room.receive(bytes, from: peer, at: now)
                    default:
                        break
                    }
                }
                actions += room.tick(at: now)
                for case .send(let peer, let bytes) in actions { _ = endpoint.sendReliable(bytes, channel: RoomCore.channel, to: peer) }
                endpoint.flush(at: now, into: &output)
            }
            if room.phase == .waiting, seated(hostNode, at: network.now) == 2 {
                // Seated: now the stranger goes silent for good.
                silentSince = network.now
                network.partition([host], [stranger], from: network.now, until: network.now + .seconds(3600))
            }
        }
        let since = try #require(silentSince, "the stranger got a seat first")
        #expect(seated(hostNode, at: network.now) == 1, "the silent stranger still holds a seat")
        let freedAfter = network.now - since
        #expect(freedAfter <= LinkConfiguration().linkTimeout + .seconds(2), "freed after \(freedAfter)")
    }

    @Test("a stranger's bare link that says nothing for 30 s is closed; one that keeps asking stays")
    func idleLinkOnlyPeersAreClosed() throws {
        var network = SimulatedNetwork(seed: 6, defaultConditions: NetworkConditions(latency: .milliseconds(20)))
        let credentials = MeshCredentials(meshName: "meshplay-lobby")
        let host = network.addNode(credentials: credentials)
        let quiet = network.addNode(credentials: credentials)
        let chatty = network.addNode(credentials: credentials)
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        var hostNode = PeerNode<SimulatedAddress>(
            identity: network.nodes[0].identity, bootstrap: [], catalog: catalog, input: IdleInput(), seed: 1, entropy: SeededEntropy(seed: 1))
        let hostPeer = network.peerID(host)
        for stranger in [quiet, chatty] {
            network.withNode(stranger) { endpoint, now, output in endpoint.connect(to: host, at: now, into: &output) }
        }
        var asker = RoomCore(identity: network.nodes[Int(chatty.node)].identity, supportedGames: catalog.identities, entropy: SeededEntropy(seed: 3))
        var nextQuery = network.now
        let start = network.now
        while network.now < start + .seconds(45) {
            network.run(for: .milliseconds(10))
            Self.step(&hostNode, at: host, on: &network)
            _ = network.takeEvents(quiet)
            _ = network.takeEvents(chatty)
            if network.now >= nextQuery {
                nextQuery = network.now + .seconds(10)
                network.withNode(chatty) { endpoint, now, output in
                    for case .send(let peer, let bytes) in asker.query(hostPeer) {
                        _ = endpoint.sendReliable(bytes, channel: RoomCore.channel, to: peer)
                    }
                    endpoint.flush(at: now, into: &output)
                }
            }
        }
        let linked = network.nodes[Int(host.node)].connectedPeers
        #expect(!linked.contains(network.peerID(quiet)), "the silent stranger's link was closed")
        #expect(linked.contains(network.peerID(chatty)), "a link that talks is kept")
    }
}
