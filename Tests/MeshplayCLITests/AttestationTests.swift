import Foundation
import MeshplayCore
import MeshplayTestSupport
import Replay
import Testing

/// Issue 15, item 1: signed checkpoints make replays evidence.
@Suite("attestations: signed replays")
struct AttestationTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshplay-attest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Plays a networked match with every seat recorded; returns the replay paths and the sim summary.
    func simulate(_ extra: [String] = [], players: Int = 3, ticks: Int = 1500) throws -> (paths: [String], summary: [String: Any]) {
        let folder = directory.appendingPathComponent("sim")
        let sim = try MeshplayBinary.run(
            ["sim", "--players", "\(players)", "--ticks", "\(ticks)", "--seed", "5", "--record-dir", folder.path, "--json"] + extra)
        #expect(sim.exitCode == 0, "\(sim.standardError)")
        let summary = try #require(try JSONSerialization.jsonObject(with: Data(sim.standardOutput.utf8)) as? [String: Any])
        return (try #require(summary["replays"] as? [String]), summary)
    }

    func verifyJSON(_ paths: [String]) throws -> (exitCode: Int32, reports: [[String: Any]], text: String) {
        let result = try MeshplayBinary.run(["verify", "--json"] + paths)
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [[String: Any]])
        return (result.exitCode, reports, result.standardOutput)
    }

    @Test func aSimRecordedReplayVerifiesAndReportsEverySlotsLastAttestedTick() async throws {
        try await OffThePool.wait {
            let (paths, _) = try simulate()
            let checked = try verifyJSON(paths)
            #expect(checked.exitCode == 0, "\(checked.text)")
            for report in checked.reports {
                #expect(report["status"] as? String == "ok")
                // The sim's 20 Hz and K = 30: an attestation every 330 ticks (the first multiple of K
                // at or past 16 s), so the last of 1500 ticks is at 1320.
                #expect(report["attested"] as? [Int] == [1320, 1320, 1320], "\(report)")
            }
            let text = try MeshplayBinary.run(["verify", paths[0]])
            #expect(text.standardOutput.contains("attested (slot: last tick) 0: 1320, 1: 1320, 2: 1320"), "\(text.standardOutput)")
        }
    }

    /// The acceptance test: one input edited, the check chain written again (a canonical
    /// re-encoding), and verify refuses it, naming the slot and tick whose signature fails.
    @Test func anEditedInputWithARewrittenChainFailsNamingTheSlotAndTick() async throws {
        try await OffThePool.wait {
            let (paths, _) = try simulate()
            let original = try ReplayFile(bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: paths[0]))))
            let edited = try #require(original.inputChanges.firstIndex { $0.slot.index == 1 && $0.tick.rawValue >= 600 })
            var changes = original.inputChanges
            let editTick = changes[edited].tick
            changes.remove(at: edited)
            let forged = try reencode(original, inputChanges: changes)
            let path = directory.appendingPathComponent("forged.mpr").path
            try Data(forged).write(to: URL(fileURLWithPath: path))

            let checked = try verifyJSON([path])
            #expect(checked.exitCode == 1, "\(checked.text)")
            let report = try #require(checked.reports.first)
            #expect(report["status"] as? String == "mismatch")
            let bad = try #require(report["badAttestation"] as? [String: Int], "\(report)")
            let slot = try #require(bad["slot"])
            let tick = try #require(bad["tick"])
            #expect((0..<3).contains(slot))
            let firstAfterEdit = (Int(editTick.rawValue) / 330 + 1) * 330
            #expect(tick == firstAfterEdit, "the first attestation after tick \(editTick)")
            // Every signature before the edit still holds.
            #expect(report["attested"] as? [Int] == Array(repeating: firstAfterEdit - 330, count: 3), "\(report)")
            let text = try MeshplayBinary.run(["verify", path])
            #expect(text.exitCode == 1)
            #expect(text.standardOutput.contains("the signature of slot \(slot) at tick \(tick) does not hold"), "\(text.standardOutput)")
        }
    }

    @Test func anOldVersion2ReplayStillVerifiesAsUnsigned() async throws {
        try await OffThePool.wait {
            let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("GoldenReplayTests/Golden/blast-2p-yard.mpr").path
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: golden)))
            #expect(bytes[8] == 2 && bytes[9] == 0, "the golden file is format version 2")
            let checked = try verifyJSON([golden])
            #expect(checked.exitCode == 0, "\(checked.text)")
            #expect(checked.reports[0]["status"] as? String == "ok")
            #expect(checked.reports[0]["attested"] is NSNull)
            #expect(!(try MeshplayBinary.run(["verify", golden]).standardOutput.contains("attested")))
        }
    }

    /// Issue 15's budget: attestations cost at most 8 bytes per player per second on each link.
    @Test(arguments: [
        ["--players", "4", "--latency", "20"],
        ["--players", "8", "--latency", "50", "--jitter", "10", "--loss", "0.2"],
    ])
    func attestationTrafficStaysWithinEightBytesPerPlayerPerSecondPerLink(_ options: [String]) async throws {
        try await OffThePool.wait {
            let sim = try MeshplayBinary.run(["sim", "--ticks", "2000", "--seed", "2", "--json"] + options)
            #expect(sim.exitCode == 0, "\(sim.standardError)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(sim.standardOutput.utf8)) as? [String: Any])
            let figure = try #require(summary["attestationBytesPerLinkPerSecond"] as? Double, "\(summary)")
            #expect(figure > 0 && figure <= 8, "\(figure) B/s")
        }
    }

    /// `file` written again from its decoded parts with `inputChanges`, the check chain recomputed.
    func reencode(_ file: ReplayFile, inputChanges: [ReplayInputChange]) throws -> [UInt8] {
        var encoder = ReplayEncoder(configuration: .init(flushIntervalTicks: file.header.ticksPerSecond))
        try encoder.begin(file.header)
        let trailer = try #require(file.trailer)
        var inputs = Array(repeating: PlayerInput.none, count: file.header.players.count)
        var change = inputChanges[...]
        for raw in 0..<trailer.finalTick.rawValue {
            let tick = Tick(raw)
            for checkpoint in file.checkpoints where checkpoint.tick == tick { try encoder.checkpoint(tick: tick, checksum: checkpoint.checksum) }
            for attestation in file.attestations where attestation.tick == tick { try encoder.attest(attestation) }
            for event in file.events where event.tick == tick { try encoder.record(event: event.event, at: tick) }
            while let next = change.first, next.tick == tick {
                inputs[next.slot.index] = next.input
                change = change.dropFirst()
            }
            try encoder.record(tick: tick, inputs: inputs)
        }
        for attestation in file.attestations where attestation.tick == trailer.finalTick { try encoder.attest(attestation) }
        try encoder.finish(finalChecksum: trailer.finalChecksum, endedEarly: trailer.endedEarly)
        return encoder.takeOutput()
    }
}
