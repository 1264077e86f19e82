import Foundation
import MeshplayCore
import Replay
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Waits are generous and nothing is timed: these machines are small and noisy.
private let patience = Duration.seconds(120)

@Suite("Writing through the replay write queue")
struct QueuedWriterTests {
    @Test("a queued replay is byte for byte the file ReplayFileWriter writes, and verifies")
    func sameBytesAsTheSynchronousWriter() throws {
        let directory = try ScratchDirectory()
        let script = standardScript()
        let direct = try ReplayFileWriter(path: directory.file("direct.mpr"))
        try play(script, into: direct)

        let queue = ReplayWriteQueue()
        let queued = QueuedReplayWriter(path: directory.file("queued.mpr"), queue: queue)
        try play(script, into: queued)
        let written = LockedBox<ReplayWriteError??>(nil)
        queued.whenWritten { written.value = .some($0) }
        #expect(queued.waitUntilWritten(timeout: patience))
        #expect(queued.isWritten)
        #expect(queued.failure == nil)

        let bytes = fileBytes(queued.path)
        #expect(bytes == fileBytes(direct.path))
        #expect(bytes == (try recordMatch(script)).bytes)
        #expect(queued.bytesWritten == bytes.count)
        #expect(queued.bytesQueued == bytes.count)
        #expect(queue.pendingBytes == 0)
        // The completion ran on the thread before the wait returned, with no error.
        #expect(written.value.map { $0 == nil } == true)
        let report = ReplayVerifier.verify(path: queued.path, catalog: testCatalog)
        #expect(report.status == .ok, "\(report)")
        #expect(report.ticks == Int(script.ticks))
    }

    @Test("a writer closed or dropped without finish leaves a replay that verifies as truncated", arguments: [false, true])
    func abandonedWriter(dropInsteadOfClose: Bool) throws {
        let directory = try ScratchDirectory()
        let path = directory.file("abandoned.mpr")
        let queue = ReplayWriteQueue()
        var script = MatchScript()
        script.players = 3
        script.ticksPerSecond = 50
        script.checkpointInterval = 25
        do {
            let writer = QueuedReplayWriter(path: path, queue: queue)
            try play(script, into: writer, stopAfter: 260)
            if !dropInsteadOfClose {
                try writer.close()
                #expect(writer.waitUntilWritten(timeout: patience))
                #expect(throws: ReplayWriteError.self) { try writer.flush() }
            }
        }
        #expect(queue.drain(timeout: patience))
        let report = ReplayVerifier.verify(path: path, catalog: testCatalog)
        #expect(report.status == .incomplete)
        #expect(report.isTruncated, "\(report)")
        // The close queued the block being built, so every recorded tick is there.
        #expect(report.ticks == 260)
        #expect(report.error?.reason == "truncated at byte \(fileBytes(path).count) after tick 260")
    }

    /// A bound per file or in all, each small enough that a blocked thread lets it fill.
    static let tightLimits: [(ReplayWriteQueue.Limits, expected: String)] = [
        (.init(maxPendingBytes: 1 << 20, maxPendingBytesPerFile: 700), "(700 bytes queued for /"),
        (.init(maxPendingBytes: 2 << 10, maxPendingBytesPerFile: 1 << 20), "(2 KiB queued for all replays)"),
    ]

    @Test("a file that outgrows the bound stops with the reason, and what reached the disk is a valid truncated replay",
          arguments: 0..<tightLimits.count)
    func boundStopsTheFile(limitsIndex: Int) throws {
        let (limits, expected) = Self.tightLimits[limitsIndex]
        let directory = try ScratchDirectory()
        let queue = ReplayWriteQueue(limits: limits)
        let blocker = try WriterThreadBlocker(in: directory)
        blocker.block(queue)

        var script = standardScript()
        script.ticks = 3_000  // about 6 KB in all
        script.config = GridWalker.Config()
        let writer = QueuedReplayWriter(path: directory.file("stalled.mpr"), queue: queue)
        var stopped: ReplayWriteError?
        do {
            try play(script, into: writer)
        } catch let error as ReplayWriteError {
            stopped = error
        }
        let error = try #require(stopped, "the bound was never reached")
        #expect(error.message.hasPrefix("recording stopped: the disk is not keeping up"), "\(error)")
        #expect(error.message.contains(expected), "\(error)")
        #expect(writer.failure == error)
        // Recording does not go on, and says why.
        #expect(throws: error) { try writer.flush() }
        // Nothing waits for a disk that is stuck: the queue cannot be drained yet.
        #expect(!queue.drain(timeout: .milliseconds(50)))
        #expect(!writer.isWritten)

        try blocker.release()
        #expect(writer.waitUntilWritten(timeout: patience))
        #expect(queue.drain(timeout: patience))
        let onDisk = fileBytes(writer.path)
        #expect(onDisk.count == writer.bytesQueued)
        #expect(onDisk.count == writer.bytesWritten)
        #expect(onDisk.count > ReplayFormat.preambleSize)
        let full = try recordMatch(script).bytes
        #expect(Array(full.prefix(onDisk.count)) == onDisk)
        let report = ReplayVerifier.verify(bytes: onDisk, catalog: testCatalog)
        #expect(report.status == .incomplete)
        #expect(report.isTruncated, "\(report)")
        #expect(report.error?.reason.hasPrefix("truncated at byte \(onDisk.count) after tick") == true, "\(report)")
        // The first error stays the reported one.
        #expect(writer.failure == error)
    }

    @Test("a file that cannot be created reports why, and the next call throws it")
    func uncreatableFile() throws {
        let directory = try ScratchDirectory()
        let queue = ReplayWriteQueue()
        let missing = QueuedReplayWriter(path: directory.file("no-such-dir/match.mpr"), queue: queue)
        let existing = directory.file("existing.mpr")
        #expect(FileManager.default.createFile(atPath: existing, contents: Data([1, 2, 3])))
        let clobbering = QueuedReplayWriter(path: existing, mode: .createNew, queue: queue)
        for writer in [missing, clobbering] {
            // Queued at once; it throws only if the thread has already failed to create the file.
            try? writer.begin(ReplayHeader(
                game: GridWalker.identity, config: GridWalker.Config().canonicalBytes, seed: 1, players: playerNames(2),
                ticksPerSecond: 30, checkpointInterval: 10))
            #expect(writer.waitUntilWritten(timeout: patience))
            let failure = try #require(writer.failure)
            #expect(failure.message.hasPrefix("cannot create \(writer.path): "))
            #expect(throws: failure) { try writer.record(tick: .zero, inputs: [.none, .none]) }
        }
        #expect(missing.failure?.errno == ENOENT)
        #expect(clobbering.failure?.errno == EEXIST)
        // createNew never clobbers a file, even from the thread.
        #expect(fileBytes(existing) == [1, 2, 3])
    }

    @Test("a write error on the thread (ENOSPC) stops that file only", .enabled(if: access("/dev/full", W_OK) == 0))
    func writeErrorStopsTheFile() throws {
        let directory = try ScratchDirectory()
        let queue = ReplayWriteQueue()
        let full = QueuedReplayWriter(path: "/dev/full", mode: .replace, queue: queue)
        let fine = QueuedReplayWriter(path: directory.file("fine.mpr"), queue: queue)
        let script = standardScript()
        // The failing file may throw its error from any call once the thread has met it.
        try? play(script, into: full)
        try? full.close()
        try play(script, into: fine)
        #expect(full.waitUntilWritten(timeout: patience))
        let failure = try #require(full.failure)
        #expect(failure.errno == ENOSPC)
        #expect(failure.message.hasPrefix("recording stopped: cannot write /dev/full: "), "\(failure)")
        #expect(throws: failure) { try full.flush() }

        #expect(fine.waitUntilWritten(timeout: patience))
        #expect(fine.failure == nil)
        #expect(ReplayVerifier.verify(path: fine.path, catalog: testCatalog).status == .ok)
    }

    @Test("many files at once on the shared queue each come out whole")
    func manyFilesAtOnce() throws {
        let directory = try ScratchDirectory()
        let scripts = (0..<12).map { index in
            var script = standardScript()
            script.seed = 100 + UInt64(index)
            script.ticks = 200 + UInt32(index) * 10
            return script
        }
        let writers = scripts.indices.map { QueuedReplayWriter(path: directory.file("match-\($0).mpr")) }
        #expect(writers.allSatisfy { $0.queue === ReplayWriteQueue.shared })
        // Interleaved tick by tick, as one event loop running many games would.
        var games: [any RunningGame] = []
        var inputs: [ScriptedInputs] = []
        for (script, writer) in zip(scripts, writers) {
            let game = try testCatalog.makeGame(
                GridWalker.identity, config: script.config.canonicalBytes, players: playerNames(script.players), seed: script.seed)
            try writer.begin(ReplayHeader(recording: game, ticksPerSecond: script.ticksPerSecond, checkpointInterval: script.checkpointInterval))
            games.append(game)
            inputs.append(ScriptedInputs(players: script.players, seed: script.seed))
        }
        for tick in 0..<scripts.map(\.ticks).max()! {
            for index in scripts.indices where tick < scripts[index].ticks {
                try playTick(tick, of: scripts[index], game: games[index], inputs: &inputs[index], into: writers[index])
            }
        }
        for (game, writer) in zip(games, writers) {
            try writer.finish(finalChecksum: game.checksum(), outcome: game.outcome)
        }
        #expect(ReplayWriteQueue.shared.drain(timeout: patience))
        for (script, writer) in zip(scripts, writers) {
            #expect(writer.isWritten)
            #expect(writer.failure == nil)
            #expect(fileBytes(writer.path) == (try recordMatch(script)).bytes, "\(writer.path)")
        }
    }

    @Test("drain waits for everything queued before it, side files included")
    func drainWaits() throws {
        let directory = try ScratchDirectory()
        let queue = ReplayWriteQueue()
        let blocker = try WriterThreadBlocker(in: directory)
        blocker.block(queue)
        let writers = (0..<3).map { QueuedReplayWriter(path: directory.file("game-\($0).mpr"), queue: queue) }
        for writer in writers { try play(standardScript(), into: writer) }
        let dump = LockedBox<ReplayWriteError??>(nil)
        writers[0].writeSideFile(atPath: directory.file("game-0.mpr.desync-40.txt"), contents: Array("state\n".utf8)) {
            dump.value = .some($0)
        }
        #expect(queue.pendingBytes > 0)
        #expect(!queue.drain(timeout: .milliseconds(50)))
        #expect(writers.allSatisfy { !$0.isWritten && $0.bytesWritten == 0 })

        try blocker.release()
        #expect(queue.drain(timeout: patience))
        #expect(queue.pendingBytes == 0)
        for writer in writers {
            #expect(writer.isWritten)
            #expect(writer.bytesWritten == writer.bytesQueued)
            #expect(ReplayVerifier.verify(path: writer.path, catalog: testCatalog).status == .ok)
        }
        #expect(dump.value.map { $0 == nil } == true)
        #expect(fileBytes(directory.file("game-0.mpr.desync-40.txt")) == Array("state\n".utf8))
    }

    @Test("both writers write side files; a failed one reports its error")
    func sideFiles() throws {
        let directory = try ScratchDirectory()
        let queue = ReplayWriteQueue()
        let sinks: [any ReplaySink] = [
            try ReplayFileWriter(path: directory.file("direct.mpr")),
            QueuedReplayWriter(path: directory.file("queued.mpr"), queue: queue),
        ]
        for sink in sinks {
            let good = LockedBox<ReplayWriteError??>(nil)
            let bad = LockedBox<ReplayWriteError??>(nil)
            sink.writeSideFile(atPath: sink.path + ".desync-7.txt", contents: Array("dump\n".utf8)) { good.value = .some($0) }
            sink.writeSideFile(atPath: directory.file("missing/dump.txt"), contents: [1]) { bad.value = .some($0) }
            #expect(queue.drain(timeout: patience))
            #expect(good.value.map { $0 == nil } == true)
            #expect(fileBytes(sink.path + ".desync-7.txt") == Array("dump\n".utf8))
            let failure = try #require(bad.value ?? nil)
            #expect(failure.errno == ENOENT)
            try sink.close()
        }
    }
}
