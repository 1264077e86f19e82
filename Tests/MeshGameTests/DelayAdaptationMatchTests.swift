import MeshplayTestSupport
import Netplay
import Simulation
import MeshTransport
import MeshplayCore
import Testing

/// The input delay follows the network during the game: up when it gets slower (or
/// every frame would freeze), down when it gets faster (or input lag would stay high).
@Suite("Input delay adapts to a network that changes mid-game")
struct DelayAdaptationMatchTests {
    static func play(from before: Int, to after: Int, ticks: Int, adapts: Bool) throws -> NetworkedMatchReport {
        let options = NetworkedMatchOptions(
            ticks: ticks, seed: 21,
            conditions: NetworkConditions(latency: .milliseconds(Int64(before)), jitter: .milliseconds(10), loss: 0.05),
            latencyChanges: [.init(tick: 300, latency: .milliseconds(Int64(after)))],
            peer: MatchConfiguration(tickRate: 30, adaptsInputDelay: adapts))
        return try NetworkedMatchTests.play(players: 4, options: options).1
    }

    @Test("40 ms to 250 ms one way: the delay rises and stalls stay rare; a fixed delay freezes most frames")
    func slowerNetworkRaisesTheDelay() async throws {
        try await OffThePool.compute {
            let adaptive = try Self.play(from: 40, to: 250, ticks: 1500, adapts: true)
            #expect(adaptive.failures.isEmpty, "\(adaptive.failures)")
            #expect(adaptive.initialInputDelay <= 2)
            // 250 ms ± 10 ms is 7.5 to 7.8 ticks at 30 Hz.
            #expect((7...10).contains(adaptive.finalInputDelay), "final delay \(adaptive.finalInputDelay)")
            // The change itself freezes frames until the raise takes effect (a round trip of
            // reports at 250 ms, twice): about 2 s of 50 s.
            #expect(adaptive.stallBasisPoints < 800, "stalled \(adaptive.stallTicks) of \(adaptive.frames) frames")

            let fixed = try Self.play(from: 40, to: 250, ticks: 1500, adapts: false)
            #expect(fixed.failures.isEmpty, "\(fixed.failures)")
            #expect(fixed.finalInputDelay == fixed.initialInputDelay)
            #expect(fixed.stallBasisPoints > 4_000, "a fixed delay stalled only \(fixed.stallTicks) of \(fixed.frames) frames")
        }
    }

    @Test("250 ms to 40 ms one way: the delay comes back down without losing an input")
    func fasterNetworkLowersTheDelay() async throws {
        try await OffThePool.compute {
            let adaptive = try Self.play(from: 250, to: 40, ticks: 3000, adapts: true)
            // `failures` includes any input lost or applied twice by the lowering.
            #expect(adaptive.failures.isEmpty, "\(adaptive.failures)")
            #expect(adaptive.initialInputDelay >= 7)
            #expect(adaptive.finalInputDelay <= 3, "final delay \(adaptive.finalInputDelay)")
            #expect(adaptive.stallBasisPoints < 100)

            let fixed = try Self.play(from: 250, to: 40, ticks: 3000, adapts: false)
            #expect(fixed.finalInputDelay == fixed.initialInputDelay)
        }
    }
}
