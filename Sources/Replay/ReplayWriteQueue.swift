/// One background thread that does the file work of any number of replays: creating
/// the files, `write(2)`, `fsync`, `close`, and small side files (desync dumps).
///
/// A game driven by an event loop must not wait for a disk, so `QueuedReplayWriter`
/// encodes on the caller's thread and hands whole records here. Jobs run in the order
/// they were queued, one at a time, so each file's bytes arrive in order.
///
/// **Bound.** At most `limits` bytes wait for the thread (8 MiB in all, 4 MiB per file
/// by default). Queuing never blocks: a replay whose records do not fit stops recording,
/// the records queued before still reach the disk, so the file is a valid (truncated)
/// replay, and its writer's `failure` says "recording stopped: the disk is not keeping
/// up (...)". A write error on the thread (ENOSPC, EIO) stops that file the same way.
/// Other files go on.
///
/// **Threads.** Every method may be called from any thread. The thread starts with the
/// first job; `shared`'s lives as long as the process, another queue's ends once the
/// queue is released and its jobs are done. Completions run on the thread: they must be
/// quick, and must not wait on this queue (`drain`, `waitUntilWritten`), which would
/// wait for themselves.
public final class ReplayWriteQueue: Sendable {
    /// The process's queue, which `QueuedReplayWriter` uses unless given another.
    public static let shared = ReplayWriteQueue(threadName: "meshplay-replay-writer")

    let core: ReplayWriteQueueCore

    /// A queue with its own thread (named `threadName`) and bound.
    public init(limits: Limits = Limits(), threadName: String = "meshplay-replay-writer") {
        core = ReplayWriteQueueCore(limits: limits, threadName: threadName)
    }

    deinit {
        core.stop()
    }

    /// How many bytes may wait for the thread.
    public var limits: Limits { core.limits }

    /// Bytes queued and not yet written, for all files.
    public var pendingBytes: Int { core.pendingByteCount }

    /// Waits until everything queued before this call is on disk (closes and syncs
    /// included), or until `timeout` passes. Call it before the process exits.
    /// - Returns: true when everything was written, false when `timeout` came first.
    @discardableResult
    public func drain(timeout: Duration) -> Bool {
        core.drain(timeout: timeout)
    }

    /// Creates or replaces the file at `path` with `contents`, on the thread. The bytes
    /// count against `limits.maxPendingBytes`.
    /// - Parameter completion: called once, with nil when the file was written, else the
    ///   error: on the thread after the write, or before this method returns when the
    ///   file does not fit within the bound.
    public func writeFile(atPath path: String, contents: [UInt8], completion: ReplayWriteCompletion? = nil) {
        core.writeSideFile(atPath: path, contents: contents, completion: completion)
    }
}
