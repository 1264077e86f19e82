/// One piece of file work for a `ReplayWriteQueue`'s thread, done in the order queued.
enum ReplayWriteJob {
    /// Create the replay file (`exclusive`: fail if it exists, else replace it).
    case open(QueuedReplayFile, exclusive: Bool)
    /// Append whole records to the replay file.
    case append(QueuedReplayFile, [UInt8])
    /// Close the replay file, after an `fsync` when `sync` is set.
    case close(QueuedReplayFile, sync: Bool)
    /// Create or replace a small file beside a replay, then report to `completion`.
    case sideFile(path: String, contents: [UInt8], completion: ReplayWriteCompletion?)

    /// The bytes this job holds, which count against the queue's bound.
    var byteCount: Int {
        switch self {
        case .append(_, let bytes): bytes.count
        case .sideFile(_, let contents, _): contents.count
        case .open, .close: 0
        }
    }
}
