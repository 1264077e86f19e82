import Foundation
import MeshplayTestSupport
import Testing

@Suite("meshplay sim and verify")
struct VerifyCommandTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshplay-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    func record(_ name: String, seed: Int = 7) throws -> URL {
        let path = directory.appendingPathComponent(name)
        let result = try MeshplayBinary.run(["sim", "--players", "4", "--ticks", "500", "--seed", "\(seed)", "--record", path.path])
        #expect(result.exitCode == 0, "\(result.standardError)")
        return path
    }

    @Test func freshReplayVerifiesWithExitZero() async throws {
        try await OffThePool.wait {
            let replay = try record("ok.mpr")
            let result = try MeshplayBinary.run(["verify", replay.path])
            #expect(result.exitCode == 0)
            #expect(result.standardOutput.contains(": ok, snake v1, 4 players"))
        }
    }

    @Test func flippedByteExitsNonZeroAndSaysWhere() async throws {
        try await OffThePool.wait {
            let replay = try record("flip.mpr")
            var bytes = try [UInt8](Data(contentsOf: replay))
            bytes[bytes.count / 2] ^= 0x40
            try Data(bytes).write(to: replay)
            let result = try MeshplayBinary.run(["verify", replay.path])
            #expect(result.exitCode == 1 || result.exitCode == 2)
            #expect(result.standardOutput.contains("byte") || result.standardOutput.contains("first bad tick"))
        }
    }

    @Test func jsonHasOneObjectPerFileWithTheDocumentedFields() async throws {
        try await OffThePool.wait {
            let good = try record("good.mpr")
            let missing = directory.appendingPathComponent("missing.mpr")
            let result = try MeshplayBinary.run(["verify", "--json", good.path, missing.path])
            #expect(result.exitCode == 2)
            let parsed = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]]
            let reports = try #require(parsed)
            #expect(reports.count == 2)
            for key in ["file", "status", "game", "players", "ticks", "finalChecksum", "firstBadTick", "error"] {
                #expect(reports.allSatisfy { $0.keys.contains(key) }, "missing \(key)")
            }
            #expect(reports[0]["status"] as? String == "ok")
            #expect((reports[0]["finalChecksum"] as? String)?.count == 16)
            #expect(reports[1]["status"] as? String == "unreadable")
        }
    }

    @Test func sameSeedWritesByteIdenticalFiles() async throws {
        try await OffThePool.wait {
            let a = try record("a.mpr", seed: 3)
            let b = try record("b.mpr", seed: 3)
            #expect(try Data(contentsOf: a) == Data(contentsOf: b))
        }
    }

    /// A peer killed mid-match leaves a file that stops between records: verify re-simulates
    /// what is there and exits 3 ("incomplete"), apart from tampering (2) and mismatches (1).
    @Test func aFileCutOffByACrashIsIncompleteWithItsOwnExitCode() async throws {
        try await OffThePool.wait {
            let folder = directory.appendingPathComponent("crash")
            let sim = try MeshplayBinary.run([
                "sim", "--players", "4", "--ticks", "300", "--seed", "3", "--crash", "2@100", "--record-dir", folder.path, "--json",
            ])
            #expect(sim.exitCode == 0, "\(sim.standardError)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(sim.standardOutput.utf8)) as? [String: Any])
            let written = try #require(summary["replays"] as? [String])
            #expect(written == (0..<4).map { folder.appendingPathComponent("peer-\($0).mpr").path }, "--json lists every file written")
            #expect(summary["replay"] as? String == written[0])

            let crashed = try MeshplayBinary.run(["verify", written[2]])
            #expect(crashed.exitCode == 3, "\(crashed.standardOutput)")
            #expect(crashed.standardOutput.contains(": incomplete, snake v1, 4 players"), "\(crashed.standardOutput)")
            #expect(crashed.standardOutput.contains("truncated at byte"))
            let all = try MeshplayBinary.run(["verify", "--json"] + written)
            #expect(all.exitCode == 3)
            let reports = try #require(try JSONSerialization.jsonObject(with: Data(all.standardOutput.utf8)) as? [[String: Any]])
            #expect(reports.map { $0["status"] as? String } == ["ok", "ok", "incomplete", "ok"])
            // Damage beats a cut: one tampered file among them makes the exit 2.
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: written[0])))
            bytes[bytes.count / 2] ^= 0x08
            try Data(bytes).write(to: URL(fileURLWithPath: written[0]))
            #expect(try MeshplayBinary.run(["verify"] + written).exitCode == 2)
        }
    }

    @Test func aMissingFileSaysCannotOpen() async throws {
        try await OffThePool.wait {
            let missing = directory.appendingPathComponent("nope.mpr").path
            let result = try MeshplayBinary.run(["verify", missing])
            #expect(result.exitCode == 2)
            #expect(result.standardOutput.hasPrefix("cannot open \(missing): No such file or directory"), "\(result.standardOutput)")
        }
    }

    @Test func badArgumentsGetAUsageError() async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(["sim", "--players", "99"])
            #expect(result.exitCode == 64)
            #expect(result.standardError.contains("--players"))
            let unknownMap = try MeshplayBinary.run(["sim", "--map", "no-such-map"])
            #expect(unknownMap.exitCode == 64)
            #expect(unknownMap.standardError.contains("no map"))
            for (arguments, named) in [
                (["sim", "--latency", "99999999999"], "--latency"), (["sim", "--jitter=-3"], "--jitter"),
                (["sim", "--latency-change", "fast"], "--latency-change"), (["sim", "--latency-change", "20000@5"], "--latency-change"),
            ] {
                let bad = try MeshplayBinary.run(arguments)
                #expect(bad.exitCode == 64, "\(arguments)")
                #expect(bad.standardError.contains(named), "\(arguments): \(bad.standardError)")
            }
        }
    }
}
