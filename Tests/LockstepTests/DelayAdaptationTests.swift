import Lockstep
import MeshplayCore
import MeshplayTestSupport
import Testing

@Suite("Lockstep input delay")
struct DelayAdaptationTests {
    @Test func initialDelayFromRoundTrips() {
        // 100 ms round trip: 50 ms one way + 10 ms jitter = 60 ms = 1.8 ticks at 30 Hz, so 2 + 1.
        #expect(LockstepConfiguration.inputDelay(forRoundTrips: [.milliseconds(60), .milliseconds(100)], jitter: .milliseconds(10), tickRate: 30) == 3)
        #expect(LockstepConfiguration.inputDelay(forRoundTrips: [], jitter: .zero, tickRate: 60) == 1)
    }

    @Test("stalls stay under 1% at 50 ms ± 10 ms with 20% loss at 30 Hz over 3000 ticks", arguments: [UInt64(2024), 77])
    func adaptationKeepsStallsLow(seed: UInt64) async throws {
        try await OffThePool.compute {
            let conditions = NetworkConditions(latency: .milliseconds(50), jitter: .milliseconds(10), lossPercent: 20, duplicatePercent: 2, reorderPercent: 0)
            let initial = LockstepConfiguration.inputDelay(forRoundTrips: [.milliseconds(100)], jitter: .milliseconds(10), tickRate: 30)
            let mesh = try MeshHarness(players: 4, conditions: conditions, seed: seed) {
                $0.tickRate = 30
                $0.initialInputDelay = initial
            }
            #expect(mesh.run(ticks: 3000))
            mesh.expectAgreement(ticks: 3000)
            mesh.expectNoInputLostOrDuplicated(ticks: 3000)
            for (index, node) in mesh.nodes.enumerated() {
                let stats = node.session.stats
                let latency = stats.inputLatency
                print("seed \(seed) node \(index): stall \(stats.stallTicks)/\(stats.tickCalls) (\(stats.stallBasisPoints) bp), delay \(stats.inputDelay) (+\(stats.delayRaises)/-\(stats.delayLowers)), latency mean \(latency.mean?.description ?? "-") max \(latency.maximum?.description ?? "-"), sent \(stats.bytesSent) B in \(stats.datagramsSent), largest \(stats.largestDatagram)")
                #expect(stats.stallBasisPoints < 100, "node \(index) stalled \(stats.stallTicks) of \(stats.tickCalls)")
                // Input lag stays near what the link allows: 50 ms + 10 ms one way plus a loss margin,
                // about four ticks (133 ms) at 30 Hz.
                #expect((latency.mean ?? .zero) < .milliseconds(170))
                #expect(stats.inputDelay <= 6)
            }
        }
    }
}
