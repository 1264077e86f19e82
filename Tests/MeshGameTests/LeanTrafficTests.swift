import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import Netplay
import Simulation
import Testing

/// What a link costs in the scenario and on better networks, in seeded simulated
/// matches (8 players, 30 Hz, 50 ± 10 ms one way), with the stalls and input latency players see.
@Suite("Lockstep traffic per link")
struct LeanTrafficTests {
    static func play(loss: Double, seed: UInt64) throws -> NetworkedMatchReport {
        let options = NetworkedMatchOptions(
            ticks: 1200, seed: seed,
            conditions: NetworkConditions(latency: .milliseconds(50), jitter: .milliseconds(10), loss: loss),
            peer: MatchConfiguration(tickRate: 30))
        let report = try NetworkedMatchTests.play(players: 8, options: options).1
        #expect(report.failures.isEmpty, "\(report.failures)")
        return report
    }

    @Test("20% loss: under 2,000 bytes a link a second (2,460 at first), stalls under 1%, input latency p50 at most 93 ms")
    func lossyNetwork() async throws {
        try await OffThePool.compute {
            let report = try Self.play(loss: 0.2, seed: 1)
            #expect(report.bytesPerPeerPerSecond / 7 < 2_000, "\(report.bytesPerPeerPerSecond / 7) B/s a link")
            #expect(report.stallBasisPoints < 100, "stalled \(report.stallTicks) of \(report.frames) frames")
            #expect((report.latencyP50Milliseconds ?? .max) <= 93)
        }
    }

    @Test("no loss: one datagram a tick, about 1,000 bytes a link a second, no stalls and an input latency p50 under 70 ms")
    func cleanNetwork() async throws {
        try await OffThePool.compute {
            let report = try Self.play(loss: 0, seed: 2)
            #expect(report.bytesPerPeerPerSecond / 7 < 1_050, "\(report.bytesPerPeerPerSecond / 7) B/s a link")
            #expect(report.stallBasisPoints < 10, "stalled \(report.stallTicks) of \(report.frames) frames")
            #expect((report.latencyP50Milliseconds ?? .max) < 70)
        }
    }

    @Test("5% loss: three datagrams every two ticks, stalls under 1% and an input latency p50 under 80 ms")
    func someLoss() async throws {
        try await OffThePool.compute {
            let report = try Self.play(loss: 0.05, seed: 3)
            #expect(report.bytesPerPeerPerSecond / 7 < 1_550, "\(report.bytesPerPeerPerSecond / 7) B/s a link")
            #expect(report.stallBasisPoints < 100, "stalled \(report.stallTicks) of \(report.frames) frames")
            #expect((report.latencyP50Milliseconds ?? .max) < 80)
        }
    }
}
