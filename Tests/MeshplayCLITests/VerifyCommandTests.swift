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

    @Test func freshReplayVerifiesWithExitZero() throws {
        let replay = try record("ok.mpr")
        let result = try MeshplayBinary.run(["verify", replay.path])
        #expect(result.exitCode == 0)
        #expect(result.standardOutput.contains(": ok, snake v1, 4 players"))
    }

    @Test func flippedByteExitsNonZeroAndSaysWhere() throws {
        let replay = try record("flip.mpr")
        var bytes = try [UInt8](Data(contentsOf: replay))
        bytes[bytes.count / 2] ^= 0x40
        try Data(bytes).write(to: replay)
        let result = try MeshplayBinary.run(["verify", replay.path])
        #expect(result.exitCode == 1 || result.exitCode == 2)
        #expect(result.standardOutput.contains("byte") || result.standardOutput.contains("first bad tick"))
    }

    @Test func jsonHasOneObjectPerFileWithTheDocumentedFields() throws {
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
        #expect(reports[1]["status"] as? String == "malformed")
    }

    @Test func sameSeedWritesByteIdenticalFiles() throws {
        let a = try record("a.mpr", seed: 3)
        let b = try record("b.mpr", seed: 3)
        #expect(try Data(contentsOf: a) == Data(contentsOf: b))
    }

    @Test func badArgumentsGetAUsageError() throws {
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
