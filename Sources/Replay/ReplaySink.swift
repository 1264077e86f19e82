import MeshplayCore

/// Called once when queued file work is done: with nil when it succeeded, else with the error.
public typealias ReplayWriteCompletion = @Sendable (ReplayWriteError?) -> Void

/// Where a game's replay goes as it is played, whichever thread does the disk work.
///
/// `ReplayFileWriter` writes on the caller's thread (right for `meshplay sim` and tests);
/// `QueuedReplayWriter` hands whole records to a `ReplayWriteQueue` thread (right for a
/// game driven by an event loop, which must never wait for a disk). Code that records a
/// game takes either.
///
/// Calls come from one thread or task, in the order `ReplayEncoder` describes: for tick
/// `t`, `checkpoint(tick: t, ...)` when `t` is a multiple of K, the events of `t`, then
/// `record(tick: t, inputs:)`. After a write error every call throws that error, which
/// `failure` also keeps.
public protocol ReplaySink: AnyObject {
    /// The replay file's path.
    var path: String { get }
    /// The tick whose inputs are expected next.
    var nextTick: Tick { get }
    /// Bytes in the file so far (for a queued writer, bytes the queue's thread has written).
    var bytesWritten: Int { get }
    /// The first error that stopped recording, or nil.
    var failure: ReplayWriteError? { get }

    /// Starts the file with the preamble and `header`.
    func begin(_ header: ReplayHeader) throws
    /// Records every slot's input for `tick` (see `ReplayEncoder.record(tick:inputs:)`).
    func record(tick: Tick, inputs: [PlayerInput]) throws
    /// Records an event at `tick`; the block holding it is handed out at once.
    func record(event: ReplayEvent, at tick: Tick) throws
    /// Records the state checksum at `tick`.
    func checkpoint(tick: Tick, checksum: StateChecksum) throws
    /// Records a player's signature (see `ReplayEncoder.attest(_:)`); the record is handed out at once.
    func attest(_ attestation: ReplayAttestation) throws
    /// Hands out the block being built now, without waiting for the flush interval.
    func flush() throws
    /// Writes the last block and the trailer, syncs and closes the file. `endedEarly` says
    /// why a match stopped before the game called it (nil when it was played out).
    func finish(finalChecksum: StateChecksum, outcome: GameOutcome?, endedEarly: String?) throws
    /// Stops without a trailer: the block being built is written and the file closed,
    /// so it verifies as truncated. Safe to call more than once.
    func close() throws
    /// Writes a small file beside the replay (a desync dump), replacing any file at
    /// `path`, by the same means as the replay itself. `completion`, when given, is
    /// called once with the outcome (see each writer for the thread it is called on).
    func writeSideFile(atPath path: String, contents: [UInt8], completion: ReplayWriteCompletion?)
}

extension ReplaySink {
    /// Writes the last block and the trailer of a match that was played out.
    public func finish(finalChecksum: StateChecksum, outcome: GameOutcome? = nil) throws {
        try finish(finalChecksum: finalChecksum, outcome: outcome, endedEarly: nil)
    }
}
