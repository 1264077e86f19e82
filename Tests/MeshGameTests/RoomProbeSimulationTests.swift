import Bots
import Lobby
import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import Netplay
import Snake
import Testing

/// The room probe core over the seeded simulated network with loss, next to a running game:
/// bot nodes on real link cores (a host and a player in a game, a mesh member in no room, a node
/// the prober cannot reach) and a ``RoomProbe`` asking all four.
@Suite("Room probe over the simulated network")
struct RoomProbeSimulationTests {
    static let credentials = MeshCredentials(meshName: "meshplay-lobby")
    static func conditions(lossPercent: Int) -> NetworkConditions {
        NetworkConditions(latency: .milliseconds(20), jitter: .milliseconds(2), loss: Double(lossPercent) / 100)
    }

    /// Bots 0 (host), 1 (player), 2 (in no room), node 3 (cut off from the prober), node 4 (the prober).
    struct World {
        var network: SimulatedNetwork
        var addresses: [SimulatedAddress] = []
        var bots: [PeerNode<SimulatedAddress>] = []
        var probe: RoomProbe<SimulatedAddress>?
        var prober: SimulatedAddress { addresses[4] }

        init(seed: UInt64, lossPercent: Int) throws {
            network = SimulatedNetwork(seed: seed, defaultConditions: RoomProbeSimulationTests.conditions(lossPercent: lossPercent))
            for _ in 0..<5 { addresses.append(network.addNode(credentials: RoomProbeSimulationTests.credentials)) }
            let map = SnakeMap.standard
            let settings = RoomSettings(name: "arena", game: SnakeRules.identity, map: map.name,
                                        configBytes: SnakeConfig.standard(map: map, matchTicks: 3000).canonicalBytes, playerCap: 4)
            let plans = [
                BotPlan(name: "host", role: .create(settings: settings, playersToStart: 2), seed: seed),
                BotPlan(name: "player", role: .join(room: "arena"), seed: seed + 1),
                BotPlan(name: "idle", role: .join(room: "nowhere"), seed: seed + 2, joinTimeout: .seconds(600)),
            ]
            var catalog = GameCatalog()
            catalog.register(SnakeRules.self)
            for (index, plan) in plans.enumerated() {
                bots.append(PeerNode(
                    identity: network.nodes[index].identity, bootstrap: index == 0 ? [] : [addresses[0]], catalog: catalog,
                    input: BotBrainInput(skill: plan.skill), pilot: BotPilot(plan: plan), seed: plan.seed,
                    entropy: SeededEntropy(seed: seed &* 31 &+ UInt64(index))))
            }
            network.partition([addresses[3]], [prober], from: network.now, until: network.now + .seconds(3600))
        }

        func peer(_ node: Int) -> PeerID { network.peerID(addresses[node]) }

        /// Runs the network 5 ms and visits every bot and the probe (two kinds of core on one network).
        mutating func step() {
            network.run(for: .milliseconds(5))
            for index in bots.indices { Self.visit(addresses[index], &bots[index], on: &network) }
            _ = network.takeEvents(addresses[3])
            guard var probe else { return _ = network.takeEvents(prober) }
            Self.visit(prober, &probe, on: &network)
            self.probe = probe
        }

        /// Hands a node's link events to its core, ticks it, and opens or closes the links it asks for.
        private static func visit<Core: EndpointCore>(
            _ address: SimulatedAddress, _ core: inout Core, on network: inout SimulatedNetwork
        ) where Core.Address == SimulatedAddress {
            let events = network.takeEvents(address)
            network.withNode(address) { endpoint, now, output in
                var requests = CoreOutput<SimulatedAddress, Core.Event>()
                for event in events { core.receive(event, endpoint: &endpoint, at: now, into: &requests) }
                core.tick(endpoint: &endpoint, at: now, into: &requests)
                endpoint.carryOut(requests, at: now, into: &output)
            }
        }

        func status(_ index: Int) -> NodeStatus { bots[index].status(at: network.now) }
        func roomMembers(_ index: Int) -> [PeerID] { status(index).room?.members.map(\.member.peer) ?? [] }

        /// Steps until `condition` holds or `limit` of virtual time passes; returns whether it held.
        mutating func run(for limit: TimeSpan, until condition: (World) -> Bool = { _ in false }) -> Bool {
            let end = network.now + limit
            while network.now < end {
                if condition(self) { return true }
                step()
            }
            return condition(self)
        }

        var gameRunning: Bool { status(0).match?.isRunning == true && status(1).match?.isRunning == true }
    }

    @Test("a room, a member in no room and an unreachable node are reported; the game does not notice",
          arguments: (UInt64(1)...8).map { ($0, 10) } + (UInt64(1)...4).map { ($0, 2) })
    func probeNextToARunningGame(seed: UInt64, lossPercent: Int) async throws {
        try await OffThePool.compute {
            var world = try World(seed: seed, lossPercent: lossPercent)
            // The node in no room is linked to the host, but on the open lobby a stranger to it: no member on either side.
            // Called outside #require: inside a closure the macro runs a mutating call on a copy of the world.
            let running = world.run(for: .seconds(60)) { $0.gameRunning && $0.bots[2].meshStrangers == [$0.peer(0)] }
            try #require(running)
            #expect(world.bots[2].meshMembers == [world.peer(2)])
            #expect(!world.bots[0].meshMembers.contains(world.peer(2)) && world.bots[0].meshStrangers == [world.peer(2)])
            let members = world.bots.map(\.meshMembers)
            let roomMembers = [world.roomMembers(0), world.roomMembers(1)]
            let proberPeer = world.network.peerID(world.prober)
            let started = world.network.now
            world.probe = RoomProbe(addresses: Array(world.addresses[0..<4]), timeout: .seconds(2))

            var undisturbed = true
            let finished = world.run(for: .seconds(3)) { world in
                for (index, bot) in world.bots.enumerated() {
                    // The prober never becomes a member anywhere, and no member comes or goes.
                    if bot.memberStatus(of: proberPeer) != nil || bot.meshMembers != members[index] { undisturbed = false }
                }
                if [world.roomMembers(0), world.roomMembers(1)] != roomMembers || !world.gameRunning { undisturbed = false }
                return world.probe?.isFinished == true
            }
            try #require(finished)
            #expect(world.network.now - started <= .milliseconds(2100))
            let results = try #require(world.probe?.results)
            #expect(results.map(\.address) == Array(world.addresses[0..<4]))

            guard case .room(let fromHost) = results[0].outcome, case .room(let fromMember) = results[1].outcome else {
                Issue.record("rooms not reported: \(results)")
                return
            }
            // During a game the room has no host (RoomCore hands the role on after it), so each answers as itself.
            #expect(fromHost.host == world.peer(0))
            for summary in [fromHost, fromMember] {
                #expect(summary.settings.name == "arena")
                #expect(summary.memberCount == 2)
                #expect(summary.isRunning)
            }
            #expect(results[0].peer == world.peer(0))
            #expect(results[1].peer == world.peer(1))
            #expect(results[2].outcome == .noRoom)
            #expect(results[3].outcome == .unreachable)
            #expect(results[3].roundTrip == nil)
            // Two 20 ms legs (±2 ms jitter) plus the 5 ms step: close means 36...60 ms. Never below the path, never past the deadline.
            let roundTrips = try results[0..<3].map { try #require($0.roundTrip, "no RTT for \($0.address)") }
            #expect(roundTrips.allSatisfy { $0 >= .milliseconds(36) && $0 < .seconds(2) }, "RTTs \(roundTrips)")
            let close = roundTrips.filter { $0 <= .milliseconds(60) }.count
            if lossPercent <= 2 {
                #expect(close == 3, "RTTs \(roundTrips)")
            } else {
                // At 10% loss a fresh link whose first packets are lost twice waits out the 1 s initial
                // retransmission timeout, and its few samples within 2 s can all be late: most are close.
                #expect(close >= 2, "RTTs \(roundTrips)")
            }

            // The probe left: its links close (told, or timed out under loss), and the game plays on untouched.
            let closed = world.run(for: .seconds(20)) { world in
                (0..<3).allSatisfy { !world.network.nodes[$0].connectedPeers.contains(proberPeer) }
            }
            #expect(closed)
            #expect(undisturbed)
            #expect(world.gameRunning)
            #expect((0..<3).allSatisfy { world.status($0).phase != .stopped && world.status($0).failure == nil })
            #expect(world.bots.enumerated().allSatisfy { $0.element.meshMembers == members[$0.offset] })
        }
    }

    @Test func aProbeBoundFirstWaitsForItsAddressesThenRunsRoundAfterRoundAndSaysWhichLinksArePunched() throws {
        var world = try World(seed: 5, lossPercent: 0)
        try #require(world.run(for: .seconds(60)) { $0.gameRunning })
        // Bound before the lookups answered (the lobby introduces the socket's port first): it asks nobody yet.
        world.probe = RoomProbe(timeout: .seconds(2))
        _ = world.run(for: .seconds(3))
        #expect(world.probe?.isWaiting == true && world.probe?.isFinished == false)
        #expect(world.network.nodes[4].connectedPeers.isEmpty)
        // The host behind its NAT punched toward the probe's socket (the resolver asked it to).
        world.network.withNode(world.prober) { endpoint, now, output in
            endpoint.receive(MeshEndpoint<SimulatedAddress>.punchDatagram, from: world.addresses[0], at: now, into: &output)
        }
        for round in 1...2 {
            world.probe?.begin(addresses: Array(world.addresses[0..<3]))
            try #require(world.run(for: .seconds(3)) { $0.probe?.isFinished == true }, "round \(round)")
            let results = try #require(world.probe?.results)
            #expect(results.map(\.path) == [.punched, .direct, .direct], "round \(round)")
            #expect(results.allSatisfy { $0.roundTrip != nil }, "round \(round)")
            if case .room(let summary) = results[0].outcome { #expect(summary.settings.name == "arena") } else { Issue.record("no room in round \(round)") }
        }
        // Not during a round: the addresses stay those of the round under way.
        world.probe?.begin(addresses: [world.addresses[2]])
        world.step()
        world.probe?.begin(addresses: [world.addresses[0]])
        try #require(world.run(for: .seconds(3)) { $0.probe?.isFinished == true })
        #expect(world.probe?.results.map(\.address) == [world.addresses[2]])
        #expect(world.probe?.results.first?.path == .direct)
    }
}
