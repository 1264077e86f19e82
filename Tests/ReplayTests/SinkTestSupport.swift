import Foundation
import MeshplayCore
import Replay

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Plays `script` into `sink` in the order the lockstep layer records, as `recordMatch`
/// does into a bare encoder, so the two produce the same bytes. Stops without a trailer
/// after `stopAfter` ticks when given (a match abandoned); otherwise finishes the file.
func play(_ script: MatchScript, into sink: any ReplaySink, stopAfter: UInt32? = nil) throws {
    let game = try testCatalog.makeGame(
        GridWalker.identity, config: script.config.canonicalBytes, players: playerNames(script.players), seed: script.seed)
    try sink.begin(ReplayHeader(recording: game, ticksPerSecond: script.ticksPerSecond, checkpointInterval: script.checkpointInterval))
    var inputs = ScriptedInputs(players: script.players, seed: script.seed)
    for tick in 0..<min(script.ticks, stopAfter ?? .max) {
        try playTick(tick, of: script, game: game, inputs: &inputs, into: sink)
    }
    guard stopAfter == nil else { return }
    try sink.finish(finalChecksum: game.checksum(), outcome: game.outcome)
}

/// One tick of `play`: checkpoint, events, inputs, step.
func playTick(_ tick: UInt32, of script: MatchScript, game: any RunningGame, inputs: inout ScriptedInputs, into sink: any ReplaySink) throws {
    if tick % UInt32(script.checkpointInterval) == 0 { try sink.checkpoint(tick: Tick(tick), checksum: game.checksum()) }
    for timed in script.events where timed.tick.rawValue == tick {
        try sink.record(event: timed.event, at: Tick(tick))
        if case .leave(let slot) = timed.event { game.removePlayer(slot) }
    }
    let tickInputs = inputs.next()
    try sink.record(tick: Tick(tick), inputs: tickInputs)
    game.step(inputs: tickInputs)
}

/// The bytes of the file at `path` (empty when it cannot be read).
func fileBytes(_ path: String) -> [UInt8] {
    FileManager.default.contents(atPath: path).map { [UInt8]($0) } ?? []
}

/// A fresh directory for one test's files, removed with everything in it when released.
final class ScratchDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("meshplay-replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Holds a `ReplayWriteQueue`'s thread inside `open(2)` of a named pipe, so nothing queued
/// after `block()` can be written until `release()`: the disk "not keeping up", without timing.
final class WriterThreadBlocker {
    let fifoPath: String
    private var readEnd: Int32 = -1

    init(in directory: ScratchDirectory) throws {
        fifoPath = directory.file("blocker.fifo")
        guard mkfifo(fifoPath, 0o600) == 0 else { throw ReplayWriteError("mkfifo failed", errno: errno) }
    }

    /// Queues a side file to the pipe: the thread waits in `open` until a reader comes.
    func block(_ queue: ReplayWriteQueue) {
        queue.writeFile(atPath: fifoPath, contents: Array("unblocked\n".utf8))
    }

    /// Opens the read end, which lets the thread's `open` return. Its few bytes fit the
    /// pipe's buffer; the read end stays open until `deinit`, so the thread never meets EPIPE.
    func release() throws {
        readEnd = open(fifoPath, O_RDONLY | O_NONBLOCK)
        guard readEnd >= 0 else { throw ReplayWriteError("cannot open the pipe", errno: errno) }
    }

    deinit {
        if readEnd >= 0 { close(readEnd) }
    }
}

/// A value set on one thread (a completion on the writer thread) and read on another.
final class LockedBox<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value

    init(_ value: Value) { stored = value }

    var value: Value {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
