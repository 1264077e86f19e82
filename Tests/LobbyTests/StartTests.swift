@testable import Lobby
import Lockstep
import MeshplayCore
import MeshTransport
import Testing

@Suite("Ready, fair seed and start")
struct StartTests {
    static func readyAll(_ harness: inout LobbyHarness, _ nodes: [Int]) {
        for node in nodes { harness.command(node) { core, now in core.setReady(true, at: now) } }
        harness.run(until: .seconds(10)) { h in h.cores[nodes[0]].members.count == nodes.count && h.cores[nodes[0]].members.allSatisfy(\.isReady) }
    }

    @Test func everyoneStartsTheSameGame() throws {
        var harness = LobbyHarness(nodes: 6, seed: 61)
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([4, 2, 5, 1, 3], host: 0)
        harness.command(0) { core, now in core.start(at: now) }
        #expect(harness.events[0].contains { if case .startRefused(.notReady) = $0 { true } else { false } })
        Self.readyAll(&harness, [0, 4, 2, 5, 1, 3])
        harness.command(0) { core, now in core.start(at: now) }
        let running = harness.run(until: .seconds(15)) { h in h.cores.allSatisfy { $0.phase == .running } }
        #expect(running)

        let starts = try (0..<6).map { try #require(harness.gameStart($0)) }
        for start in starts { #expect(start.agrees(with: starts[0])) }
        // Slots follow join order.
        #expect(starts[0].players.map(\.peer) == [0, 4, 2, 5, 1, 3].map { harness.peer($0) })
        for node in 0..<6 { #expect(starts[node].players[starts[node].localSlot.index].peer == harness.peer(node)) }
        #expect(starts[0].configBytes == [1, 2, 3] && starts[0].tickRate == 30 && starts[0].firstTick == .zero)
        // Countdown went 3, 2, 1 on every node.
        for node in 0..<6 {
            let counts = harness.events[node].compactMap { if case .countdown(let left) = $0 { left } else { nil } }
            #expect(counts == [3, 2, 1])
        }
        // Once the game runs nobody hosts.
        #expect(harness.cores.allSatisfy { $0.host == nil && !$0.isHost })
    }

    @Test func seedDependsOnEveryoneAndChangesWithEntropy() throws {
        var seeds: [UInt64] = []
        for seed in [71, 72] as [UInt64] {
            var harness = LobbyHarness(nodes: 3, seed: seed)
            harness.connectAll()
            harness.create(0, settings: LobbyHarness.settings(cap: 3, startsWhenFull: true))
            harness.join(1, host: 0)
            harness.join(2, host: 0)
            #expect(harness.run(until: .seconds(15)) { h in h.cores.allSatisfy { $0.phase == .running } })
            let start = try #require(harness.gameStart(1))
            #expect(harness.gameStart(0)?.seed == start.seed && harness.gameStart(2)?.seed == start.seed)
            seeds.append(start.seed)
        }
        #expect(seeds[0] != seeds[1])
    }

    @Test func badRevealRemovesTheCheater() throws {
        var harness = LobbyHarness(nodes: 4, seed: 81)
        harness.tamper = { node, message in
            guard node == 2, case .reveal(let round, var secret) = message else { return nil }
            secret[0] ^= 0xFF  // a secret other than the committed one: trying to choose the seed
            return .reveal(round: round, secret: secret)
        }
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([1, 2, 3], host: 0)
        Self.readyAll(&harness, [0, 1, 2, 3])
        harness.command(0) { core, now in core.start(at: now) }
        #expect(harness.run(until: .seconds(20)) { h in [0, 1, 3].allSatisfy { h.cores[$0].phase == .running } })
        #expect(harness.events[2].contains(.removed(.badReveal)))
        #expect(harness.cores[2].phase == .idle)
        let cheater = harness.peer(2)
        for node in [0, 1, 3] {
            #expect(harness.events[node].contains { if case .startAborted(_, [cheater], .badReveal) = $0 { true } else { false } })
            #expect(harness.gameStart(node)?.players.map(\.peer) == [0, 1, 3].map { harness.peer($0) })
            #expect(harness.gameStart(node)?.round == 2)
        }
    }

    @Test func silentParticipantIsRemovedAndTheStartContinues() throws {
        var harness = LobbyHarness(nodes: 3, seed: 82)
        harness.tamper = { node, message in
            guard node == 1, case .reveal = message else { return nil }
            return .setReady(true)  // withholds its reveal
        }
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([1, 2], host: 0)
        Self.readyAll(&harness, [0, 1, 2])
        harness.command(0) { core, now in core.start(at: now) }
        #expect(harness.run(until: .seconds(20)) { h in [0, 2].allSatisfy { h.cores[$0].phase == .running } })
        #expect(harness.events[1].contains(.removed(.timedOut)))
        #expect(harness.gameStart(2)?.players.count == 2)
    }

    @Test func hostLostDuringTheStartHandsOver() throws {
        var harness = LobbyHarness(nodes: 4, seed: 83)
        harness.tamper = { node, message in
            guard node == 0, case .commitSet = message else { return nil }
            return .setReady(true)  // the host stalls after collecting commitments, then crashes
        }
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([1, 2, 3], host: 0)
        Self.readyAll(&harness, [0, 1, 2, 3])
        harness.command(0) { core, now in core.start(at: now) }
        harness.run(for: .milliseconds(300))
        harness.crash(0)
        #expect(harness.run(until: .seconds(20)) { h in (1...3).allSatisfy { h.cores[$0].phase == .running } })
        let start = try #require(harness.gameStart(1))
        #expect(start.players.map(\.peer) == [1, 2, 3].map { harness.peer($0) })
        #expect(harness.gameStart(3)?.agrees(with: start) == true)
    }

    @Test func gameOverReturnsToTheRoom() throws {
        var harness = LobbyHarness(nodes: 2, seed: 84)
        harness.connectAll()
        harness.create(0, settings: LobbyHarness.settings(cap: 2, startsWhenFull: true))
        harness.join(1, host: 0)
        #expect(harness.run(until: .seconds(15)) { h in h.cores.allSatisfy { $0.phase == .running } })
        let result = GameResult(outcome: nil, replayPath: "/tmp/replay.mpr")
        for node in 0..<2 { harness.command(node) { core, now in core.finishGame(result, at: now) } }
        harness.run(for: .seconds(1))
        for node in 0..<2 {
            #expect(harness.events[node].contains(.gameOver(result)))
            #expect(harness.cores[node].phase == .waiting)
            #expect(harness.cores[node].host == harness.peer(0))
        }
    }

    @Test func gameChatGoesThroughTheLockstepStream() {
        var harness = LobbyHarness(nodes: 2, seed: 85)
        harness.connectAll()
        harness.create(0, settings: LobbyHarness.settings(cap: 2, startsWhenFull: true))
        harness.join(1, host: 0)
        harness.run(until: .seconds(15)) { h in h.cores.allSatisfy { $0.phase == .running } }
        let actions = harness.cores[1].chat("gg \u{1B}[5mwp", at: harness.network.now)
        #expect(actions == [.sendGameChat("gg wp")])
        let shown = harness.cores[0].receiveGameChat(slot: PlayerSlot(1), text: "gg wp", at: harness.network.now)
        guard case .event(.chat(let line))? = shown.first else { Issue.record("no chat event"); return }
        #expect(line.sender == harness.peer(1) && line.senderName == "node1")
    }
}
