/// One file a `ReplayWriteQueue` writes: what its writer and the queue's thread share.
///
/// The fields under "guarded" are read and changed only while holding the owning
/// queue's lock; `descriptor` belongs to the writer thread alone.
final class QueuedReplayFile: @unchecked Sendable {
    /// Where the file goes.
    let path: String

    // Guarded by the queue's lock.
    /// Bytes handed to the queue and not yet written (or dropped after a write error).
    var pendingBytes = 0
    /// Bytes the thread has written to the file.
    var bytesWritten = 0
    /// The first error; once set the writer takes no more records.
    var failure: ReplayWriteError?
    /// False once the file was closed by its writer or stopped by an error: later work is refused.
    var isAcceptingWork = true
    /// True once the thread has closed the file (or found it cannot write it): nothing more will change on disk.
    var isDone = false
    /// Called once `isDone` becomes true.
    var doneCallbacks: [ReplayWriteCompletion] = []

    // Writer thread only.
    /// The open descriptor, or -1 before the open, after the close and after a write error.
    var descriptor: Int32 = -1

    init(path: String) {
        self.path = path
    }

    /// Keeps `error` unless an earlier one is already kept. Under the queue's lock.
    func keepFirst(_ error: ReplayWriteError) {
        if failure == nil { failure = error }
    }
}
