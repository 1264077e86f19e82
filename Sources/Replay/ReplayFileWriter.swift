import MeshplayCore

/// Records a replay straight into a file as the game goes.
///
/// A thin shell around `ReplayEncoder`: every record the encoder completes is appended
/// with `write(2)` at once. The encoder closes a block at least once per second of game
/// time (see `ReplayEncoder.Configuration`) and after every event, so if the process dies
/// the file still verifies up to that point and is reported as truncated. `finish` writes
/// the trailer, `fsync`s and closes. Not thread-safe: drive it from one task.
///
/// Every call waits for the disk. A game driven by an event loop should record through
/// `QueuedReplayWriter` instead, which writes the same bytes on a background thread.
public final class ReplayFileWriter: ReplaySink {
    /// How the file is created.
    public enum CreationMode: Sendable {
        /// Fail if the path exists (`O_CREAT | O_EXCL`): never clobber a replay.
        case createNew
        /// Replace any existing file (`O_CREAT | O_TRUNC`).
        case replace
    }

    /// The path being written.
    public let path: String
    private var encoder: ReplayEncoder
    private var fd: Int32
    /// The first failed write. It leaves the file in an unknown state, so the writer refuses to go on.
    public private(set) var failure: ReplayWriteError?

    /// Creates the file (mode 0644). Nothing is written until `begin`.
    public init(path: String, mode: CreationMode = .createNew, configuration: ReplayEncoder.Configuration = .init()) throws {
        self.fd = try POSIXFile.create(path: path, exclusive: mode == .createNew)
        self.path = path
        self.encoder = ReplayEncoder(configuration: configuration)
    }

    /// A writer dropped without `finish` behaves like `close()`: the block being built is written.
    deinit {
        try? close()
    }

    /// The tick whose inputs are expected next.
    public var nextTick: Tick { encoder.nextTick }

    /// Bytes written to the file so far.
    public private(set) var bytesWritten = 0

    /// Writes the preamble and header.
    public func begin(_ header: ReplayHeader) throws {
        try perform { try $0.begin(header) }
    }

    /// Records every slot's input for `tick` (see `ReplayEncoder.record(tick:inputs:)`).
    public func record(tick: Tick, inputs: [PlayerInput]) throws {
        try perform { try $0.record(tick: tick, inputs: inputs) }
    }

    /// Records an event at `tick` and writes it out at once.
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

    /// Writes out the block being built now, without waiting for the flush interval.
    public func flush() throws {
        try perform { $0.flush() }
    }

    /// Writes the last block and the trailer, syncs and closes the file.
    public func finish(finalChecksum: StateChecksum, outcome: GameOutcome?, endedEarly: String?) throws {
        try perform { try $0.finish(finalChecksum: finalChecksum, outcome: outcome, endedEarly: endedEarly) }
        try POSIXFile.sync(fd: fd, path: path)
        try close()
    }

    /// Stops recording without a trailer (a match abandoned): writes the block being built
    /// and closes. The file verifies as truncated. Safe to call more than once.
    public func close() throws {
        guard fd >= 0 else { return }
        if failure == nil { try? perform { $0.flush() } }
        let fd = self.fd
        self.fd = -1
        try POSIXFile.closeChecked(fd: fd, path: path)
    }

    /// Writes `contents` to `path` now, on this thread, and calls `completion` before returning.
    public func writeSideFile(atPath path: String, contents: [UInt8], completion: ReplayWriteCompletion? = nil) {
        // Written whether or not anyone asks for the outcome (`completion?(...)` would skip the write).
        let outcome = POSIXFile.writeWholeFile(path: path, contents: contents)
        completion?(outcome)
    }

    /// Runs one encoder call, then appends whatever records it completed.
    private func perform(_ body: (inout ReplayEncoder) throws -> Void) throws {
        if let failure { throw failure }
        guard fd >= 0 else { throw ReplayWriteError("\(path) is already closed") }
        try body(&encoder)
        guard encoder.hasOutput else { return }
        let bytes = encoder.takeOutput()
        do {
            try POSIXFile.writeAll(fd: fd, bytes)
            bytesWritten += bytes.count
        } catch let error as ReplayWriteError {
            failure = error
            throw error
        }
    }
}
