import MeshplayCore
import Replay
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("Writing to a file")
struct FileWriterTests {
    private func temporaryDirectory() throws -> String {
        var template = Array("/tmp/replay-tests-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw ReplayWriteError("mkdtemp failed")
        }
        return String(cString: made)
    }

    private func readFile(_ path: String) throws -> [UInt8] {
        guard let handle = fopen(path, "rb") else { throw ReplayWriteError("cannot open \(path)") }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&buffer, 1, buffer.count, handle)
            if count == 0 { return bytes }
            bytes += buffer[0..<count]
        }
    }

    @Test("a file abandoned mid-game verifies up to its last flushed block and reports the truncation")
    func partialFile() throws {
        let directory = try temporaryDirectory()
        let path = directory + "/match.mpr"
        defer {
            unlink(path)
            rmdir(directory)
        }
        let players = playerNames(3)
        let game = try testCatalog.makeGame(GridWalker.identity, config: GridWalker.Config().canonicalBytes, players: players, seed: 5)
        let writer = try ReplayFileWriter(path: path)
        try writer.begin(ReplayHeader(recording: game, ticksPerSecond: 50, checkpointInterval: 25))
        var inputs = ScriptedInputs(players: 3, seed: 5)
        for tick in 0..<260 as Range<UInt32> {
            if tick % 25 == 0 { try writer.checkpoint(tick: Tick(tick), checksum: game.checksum()) }
            let tickInputs = inputs.next()
            try writer.record(tick: Tick(tick), inputs: tickInputs)
            game.step(inputs: tickInputs)
        }
        // The process "crashes" here: what is on disk must be a readable, truncated replay.
        let partial = try readFile(path)
        #expect(partial.count == writer.bytesWritten)
        let report = ReplayVerifier.verify(bytes: partial, catalog: testCatalog)
        #expect(report.status == .incomplete)
        #expect(report.isTruncated)
        #expect(report.ticks == 250)  // blocks close every 50 ticks: one second at 50 ticks per second
        #expect(report.error?.reason == "truncated at byte \(partial.count) after tick 250")

        try writer.finish(finalChecksum: game.checksum(), outcome: game.outcome)
        let finished = ReplayVerifier.verify(path: path, catalog: testCatalog)
        #expect(finished.status == .ok)
        #expect(finished.ticks == 260)
        #expect(finished.file == path)

        // createNew never clobbers an existing replay; replace does.
        #expect(throws: ReplayWriteError.self) { try ReplayFileWriter(path: path) }
        let replacing = try ReplayFileWriter(path: path, mode: .replace)
        try replacing.close()
        #expect(try readFile(path).isEmpty)
    }

    @Test("a missing file is reported as unreadable, not thrown")
    func missingFile() {
        let report = ReplayVerifier.verify(path: "/nonexistent/replay.mpr", catalog: testCatalog)
        #expect(report.status == .unreadable)
        #expect(report.error?.reason.contains("cannot open") == true)
        #expect(report.description.hasPrefix("cannot open /nonexistent/replay.mpr: "), "\(report)")
    }
}
