import Foundation
import MeshplayTestSupport
import Testing

/// Issue 15's acceptance shape, through the built binary: a crashed seat taken again and two
/// spectators. Half the acceptance run's length, so the debug suite stays light beside its
/// timing-sensitive socket tests; `.ci/release-smoke` runs the exact command on the release build.
@Suite("meshplay sim --rejoin --spectators")
struct RejoinCommandTests {
    @Test func theAcceptanceRunAgreesAndEveryRecordingVerifies() async throws {
        try await OffThePool.wait {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshplay-rejoin-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let sim = try await MeshplayBinary.runAsync([
                "sim", "--players", "6", "--ticks", "1500", "--latency", "50", "--jitter", "10", "--loss", "0.1",
                "--crash", "2@400", "--rejoin", "2@700", "--spectators", "2", "--record-dir", directory.path, "--json",
            ], timeout: 600)
            #expect(sim.exitCode == 0, "\(sim.standardError)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(sim.standardOutput.utf8)) as? [String: Any], "\(sim.standardOutput)")
            #expect((summary["failures"] as? [String])?.isEmpty == true, "\(summary["failures"] ?? "none")")
            let finalChecksum = try #require(summary["finalChecksum"] as? String)
            let rejoins = try #require(summary["rejoins"] as? [[String: Any]], "\(summary)")
            #expect(rejoins.count == 1)
            #expect(rejoins.first?["slot"] as? Int == 2)
            let seatTick = try #require(rejoins.first?["tick"] as? Int)
            #expect(seatTick > 700 && seatTick < 1500, "seated again at \(seatTick)")
            let spectators = try #require(summary["spectators"] as? [[String: Any]], "\(summary)")
            #expect(spectators.count == 2)
            for spectator in spectators {
                #expect(spectator["finalChecksum"] as? String == finalChecksum, "\(spectator)")
                #expect(spectator["tick"] as? Int == 1500, "\(spectator)")
            }

            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".mpr") }.sorted()
            #expect(files == (0..<6).map { "peer-\($0).mpr" } + ["spectator-0.mpr", "spectator-1.mpr"])
            let verify = try await MeshplayBinary.runAsync(["verify"] + files.map { directory.appendingPathComponent($0).path }, timeout: 300)
            #expect(verify.exitCode == 0, "\(verify.standardOutput)\(verify.standardError)")
            #expect(verify.standardOutput.components(separatedBy: ": ok,").count == files.count + 1, "\(verify.standardOutput)")
            #expect(verify.standardOutput.components(separatedBy: "final checksum \(finalChecksum)").count == files.count + 1)
        }
    }
}
