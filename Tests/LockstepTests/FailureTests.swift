import Lockstep
import MeshplayCore
import MeshplayTestSupport
import Testing

@Suite("Lockstep failures: desyncs, crashes, returns")
struct FailureTests {
    @Test("a forced desync is detected at the first checkpoint after it, on every peer")
    func desyncDetected() throws {
        let mesh = try MeshHarness(players: 3, conditions: NetworkConditions(lossPercent: 20, duplicatePercent: 10), seed: 3, flip: (slot: 1, afterTick: 95)) {
            $0.checksumInterval = 10
        }
        mesh.run(ticks: 400, limit: .seconds(30))
        for node in mesh.nodes {
            #expect(node.session.isHalted)
            #expect(node.recorder.desyncs.count == 1)
            // The checkpoint after stepping tick 99: the state at game tick 100.
            #expect(node.recorder.desyncs.first?.tick == Tick(99), "\(node.recorder.desyncs)")
            #expect(node.recorder.inputs.count < 400)
        }
        #expect(mesh.nodes[0].recorder.desyncs.first?.peers == [PlayerSlot(1)])
        #expect(mesh.nodes[2].recorder.desyncs.first?.peers == [PlayerSlot(1)])
        #expect(mesh.nodes[1].recorder.desyncs.first?.peers == [PlayerSlot(0), PlayerSlot(2)])
        // Every peer keeps a readable dump of its state at that checkpoint: the two that agree
        // show the same state, the flipped one shows where it diverged.
        let dumps = mesh.nodes.map { $0.recorder.desyncDumps }
        #expect(dumps.allSatisfy { $0.count == 1 && $0[0]?.hasPrefix("tick 100 ") == true }, "\(dumps)")
        #expect(dumps[0] == dumps[2])
        #expect(dumps[1] != dumps[0])
    }

    @Test("a crashed peer is dropped at the same tick by every survivor")
    func crashDropped() throws {
        let mesh = try MeshHarness(players: 4, conditions: NetworkConditions(lossPercent: 20, duplicatePercent: 5, reorderPercent: 5), seed: 11)
        mesh.linkTimeout = .seconds(1)
        mesh.schedule(.crash(3), at: .milliseconds(5000))
        #expect(mesh.run(ticks: 450))
        mesh.expectAgreement(ticks: 450)
        mesh.expectNoInputLostOrDuplicated(ticks: 450)
        let drops = mesh.nodes[0].recorder.drops
        #expect(drops.count == 1)
        guard case .dropped(let slot, let tick)? = drops.first else { return }
        #expect(slot == PlayerSlot(3))
        #expect(tick.rawValue > 100 && tick.rawValue < 200, "dropped at \(tick)")
    }

    @Test("a second crash during the first drop's exchange still converges", arguments: [Int64(5000), 5500, 5990, 6000, 6020, 6100, 6300])
    func twoCrashes(secondCrashMillis: Int64) async throws {
        try await OffThePool.compute {
            let mesh = try MeshHarness(players: 5, conditions: NetworkConditions(lossPercent: 20, duplicatePercent: 5, reorderPercent: 5), seed: UInt64(secondCrashMillis))
            mesh.linkTimeout = .seconds(1)
            mesh.schedule(.crash(4), at: .milliseconds(5000))
            mesh.schedule(.crash(2), at: .milliseconds(secondCrashMillis))
            #expect(mesh.run(ticks: 500))
            mesh.expectAgreement(ticks: 500)
            mesh.expectNoInputLostOrDuplicated(ticks: 500)
            #expect(mesh.nodes[0].recorder.drops.count == 2)
        }
    }

    @Test("a peer that comes back within the link timeout only causes a stall")
    func comebackIsOnlyAStall() throws {
        let mesh = try MeshHarness(players: 3, conditions: NetworkConditions(lossPercent: 10), seed: 5)
        mesh.linkTimeout = .seconds(1)
        mesh.network.blocks = { from, to, now in
            (from.index == 1 || to.index == 1) && now >= .milliseconds(2000) && now < .milliseconds(2800)
        }
        #expect(mesh.run(ticks: 300))
        mesh.expectAgreement(ticks: 300)
        for node in mesh.nodes {
            #expect(node.recorder.drops.isEmpty)
            #expect(node.session.stats.stallTicks > 0)
        }
    }
}
