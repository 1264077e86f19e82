import MeshplayCore

/// Records a replay like `ReplayFileWriter`, but never touches the disk on the caller's
/// thread: the `ReplayEncoder` runs here, and each batch of whole records it completes
/// goes to a `ReplayWriteQueue`, whose thread creates, appends to, syncs and closes the file.
///
/// The bytes are the same as `ReplayFileWriter`'s for the same calls, and so is the flush
/// cadence: the encoder closes a block at least once per second of game time and after
/// every event, so a crash loses at most the last second (plus what the queue held).
///
/// **Errors.** Mistakes in the calls (a tick out of order) throw at once. File errors
/// happen on the queue's thread (the file cannot be created, ENOSPC, EIO) or when the
/// queue is full; either stops the file, is kept in `failure`, and is thrown by every
/// later call. The bytes queued before stay valid: the file verifies as truncated.
///
/// **Threads.** Drive the recording calls (`begin` through `close`) from one thread or
/// task, as `ReplayFileWriter`. `failure`, `bytesWritten`, `isWritten`,
/// `waitUntilWritten(timeout:)` and `whenWritten(_:)` may be used from any thread.
/// None of the recording calls waits for the disk.
public final class QueuedReplayWriter: ReplaySink {
    /// The path being written.
    public let path: String
    /// The queue doing this file's I/O.
    public let queue: ReplayWriteQueue
    private var encoder: ReplayEncoder
    private let file: QueuedReplayFile
    /// Whether `finish` or `close` was called (or the file stopped): nothing more is queued.
    private var isClosed = false

    /// Queues the creation of the file (mode 0644) on `queue`. Nothing is written until
    /// `begin`. A file that cannot be created is reported through `failure`, and the
    /// next call throws it.
    public init(
        path: String, mode: ReplayFileWriter.CreationMode = .createNew,
        configuration: ReplayEncoder.Configuration = .init(), queue: ReplayWriteQueue = .shared
    ) {
        self.path = path
        self.queue = queue
        self.encoder = ReplayEncoder(configuration: configuration)
        self.file = QueuedReplayFile(path: path)
        queue.core.open(file, exclusive: mode == .createNew)
    }

    /// A writer dropped without `finish` behaves like `close()`: the block being built is queued, then the close.
    deinit {
        try? close()
    }

    /// The tick whose inputs are expected next.
    public var nextTick: Tick { encoder.nextTick }

    /// Bytes handed to the queue so far: the file's size once everything is written.
    public private(set) var bytesQueued = 0

    /// Bytes the queue's thread has written to the file so far.
    public var bytesWritten: Int { queue.core.bytesWritten(to: file) }

    /// The first error that stopped recording (a file error or the queue's bound), or nil.
    public var failure: ReplayWriteError? { queue.core.failure(of: file) }

    /// Whether the file is closed for good on the queue's thread: after `finish` or
    /// `close` was written, or after an error stopped it. Its bytes will not change.
    public var isWritten: Bool { queue.core.isDone(file) }

    /// Queues the preamble and header.
    public func begin(_ header: ReplayHeader) throws {
        try perform { try $0.begin(header) }
    }

    /// Records every slot's input for `tick` (see `ReplayEncoder.record(tick:inputs:)`).
    public func record(tick: Tick, inputs: [PlayerInput]) throws {
        try perform { try $0.record(tick: tick, inputs: inputs) }
    }

    /// Records an event at `tick` and queues it at once.
    public func record(event: ReplayEvent, at tick: Tick) throws {
        try perform { try $0.record(event: event, at: tick) }
    }

    /// Records the state checksum at `tick`.
    public func checkpoint(tick: Tick, checksum: StateChecksum) throws {
        try perform { try $0.checkpoint(tick: tick, checksum: checksum) }
    }

    public func attest(_ attestation: ReplayAttestation) throws {
        try perform { try $0.attest(attestation) }
    }

    /// Queues the block being built now, without waiting for the flush interval.
    public func flush() throws {
        try perform { $0.flush() }
    }

    /// Queues the last block and the trailer, then an `fsync` and the close. Returns at
    /// once; `waitUntilWritten(timeout:)` or `whenWritten(_:)` tell when it is on disk, and
    /// a write, sync or close that fails on the thread shows in `failure` then.
    public func finish(finalChecksum: StateChecksum, outcome: GameOutcome?, endedEarly: String?) throws {
        try perform { try $0.finish(finalChecksum: finalChecksum, outcome: outcome, endedEarly: endedEarly) }
        isClosed = true
        queue.core.close(file, sync: true)
    }

    /// Stops recording without a trailer (a match abandoned): queues the block being built
    /// and the close. The file verifies as truncated. Safe to call more than once.
    public func close() throws {
        guard !isClosed else { return }
        if failure == nil { try? perform { $0.flush() } }
        isClosed = true
        queue.core.close(file, sync: false)
    }

    /// Queues a small file beside the replay (a desync dump) on the same queue, replacing
    /// any file at `path`. Its failure does not stop the replay.
    /// - Parameter completion: called once with nil or the error, on the queue's thread
    ///   (or before this returns, when the queue is full).
    public func writeSideFile(atPath path: String, contents: [UInt8], completion: ReplayWriteCompletion? = nil) {
        queue.writeFile(atPath: path, contents: contents, completion: completion)
    }

    /// Waits until the file is closed for good on the queue's thread (see `isWritten`),
    /// or until `timeout` passes. For tests and exit paths: never call it on an event
    /// loop, nor from a completion. Check `failure` afterwards.
    /// - Returns: whether the file is written; false when `timeout` came first, or when
    ///   neither `finish` nor `close` was called and no error stopped the file.
    @discardableResult
    public func waitUntilWritten(timeout: Duration) -> Bool {
        queue.core.waitUntilDone(file, timeout: timeout)
    }

    /// Calls `callback` once the file is closed for good, with its `failure` (nil when
    /// all went well): on the queue's thread, or at once when it already is.
    public func whenWritten(_ callback: @escaping ReplayWriteCompletion) {
        queue.core.whenDone(file, callback)
    }

    /// Runs one encoder call, then queues whatever records it completed.
    private func perform(_ body: (inout ReplayEncoder) throws -> Void) throws {
        if let failure { throw failure }
        guard !isClosed else { throw ReplayWriteError("\(path) is already closed") }
        try body(&encoder)
        guard encoder.hasOutput else { return }
        let bytes = encoder.takeOutput()
        if let error = queue.core.append(bytes, to: file) {
            isClosed = true
            throw error
        }
        bytesQueued += bytes.count
    }
}
