import Foundation

/// The lock, the job list and the thread behind one `ReplayWriteQueue`.
///
/// Callers' threads take the lock only to look at a file's state or to append a job,
/// never across I/O. The thread takes one job at a time under the lock, does its I/O
/// without the lock, then takes it again to account for the job and wake waiters.
/// Completions run on the thread, without the lock, before their job counts as done.
final class ReplayWriteQueueCore: @unchecked Sendable {
    let limits: ReplayWriteQueue.Limits
    private let threadName: String
    private let condition = NSCondition()

    // Guarded by `condition`.
    /// Jobs in order; taken ones are set to nil until the array is compacted.
    private var jobs: [ReplayWriteJob?] = []
    private var nextJobIndex = 0
    private var pendingBytes = 0
    private var jobsQueued: UInt64 = 0
    private var jobsDone: UInt64 = 0
    private var isThreadRunning = false
    private var isStopping = false

    init(limits: ReplayWriteQueue.Limits, threadName: String) {
        self.limits = limits
        self.threadName = threadName
    }

    // MARK: Callers' side

    /// Queues the creation of `file`.
    func open(_ file: QueuedReplayFile, exclusive: Bool) {
        withLock { enqueue(.open(file, exclusive: exclusive)) }
    }

    /// Queues whole records for `file`. Returns the error that stopped the file instead,
    /// when it had stopped already or `bytes` do not fit within the limits (which stops it).
    func append(_ bytes: [UInt8], to file: QueuedReplayFile) -> ReplayWriteError? {
        withLock {
            if let failure = file.failure { return failure }
            guard file.isAcceptingWork else { return ReplayWriteError("\(file.path) is already closed") }
            if let bound = exceededBound(adding: bytes.count, forFile: file) {
                let error = ReplayWriteError("recording stopped: the disk is not keeping up (\(bound))")
                file.keepFirst(error)
                // What is queued already is whole records: close after them, and the file is a truncated replay.
                file.isAcceptingWork = false
                enqueue(.close(file, sync: true))
                return error
            }
            file.pendingBytes += bytes.count
            enqueue(.append(file, bytes))
            return nil
        }
    }

    /// Queues the closing of `file` unless it is closed or stopped already.
    func close(_ file: QueuedReplayFile, sync: Bool) {
        withLock {
            guard file.isAcceptingWork else { return }
            file.isAcceptingWork = false
            enqueue(.close(file, sync: sync))
        }
    }

    /// Queues a small file; a file that does not fit is refused through `completion` at once.
    func writeSideFile(atPath path: String, contents: [UInt8], completion: ReplayWriteCompletion?) {
        let refusal: ReplayWriteError? = withLock {
            if let bound = exceededBound(adding: contents.count, forFile: nil) {
                return ReplayWriteError("cannot write \(path): the disk is not keeping up (\(bound))")
            }
            enqueue(.sideFile(path: path, contents: contents, completion: completion))
            return nil
        }
        if let refusal { completion?(refusal) }
    }

    func failure(of file: QueuedReplayFile) -> ReplayWriteError? { withLock { file.failure } }
    func bytesWritten(to file: QueuedReplayFile) -> Int { withLock { file.bytesWritten } }
    func isDone(_ file: QueuedReplayFile) -> Bool { withLock { file.isDone } }
    var pendingByteCount: Int { withLock { pendingBytes } }

    /// Waits until the thread has closed `file`, or until `timeout`; whether it has.
    func waitUntilDone(_ file: QueuedReplayFile, timeout: Duration) -> Bool {
        let deadline = Self.deadline(after: timeout)
        return withLock {
            while !file.isDone, condition.wait(until: deadline) {}
            return file.isDone
        }
    }

    /// Calls `callback` once `file` is closed: on the thread, or at once when it is already.
    func whenDone(_ file: QueuedReplayFile, _ callback: @escaping ReplayWriteCompletion) {
        let doneAlready: ReplayWriteError?? = withLock {
            if file.isDone { return .some(file.failure) }
            file.doneCallbacks.append(callback)
            return .none
        }
        if case .some(let failure) = doneAlready { callback(failure) }
    }

    /// Waits until every job queued before the call is done, or until `timeout`; whether they are.
    func drain(timeout: Duration) -> Bool {
        let deadline = Self.deadline(after: timeout)
        return withLock {
            let target = jobsQueued
            while jobsDone < target, condition.wait(until: deadline) {}
            return jobsDone >= target
        }
    }

    /// Lets the thread end once the jobs queued so far are done.
    func stop() {
        withLock {
            isStopping = true
            condition.broadcast()
        }
    }

    // MARK: Under the lock

    private func withLock<Result>(_ body: () throws -> Result) rethrows -> Result {
        condition.lock()
        defer { condition.unlock() }
        return try body()
    }

    /// Which limit adding `count` bytes (for `file`, when given) would pass, as text
    /// ("4 MiB queued for PATH"); nil when it fits.
    private func exceededBound(adding count: Int, forFile file: QueuedReplayFile?) -> String? {
        if let file, file.pendingBytes + count > limits.maxPendingBytesPerFile {
            return "\(ReplayWriteQueue.Limits.describe(bytes: limits.maxPendingBytesPerFile)) queued for \(file.path)"
        }
        if pendingBytes + count > limits.maxPendingBytes {
            return "\(ReplayWriteQueue.Limits.describe(bytes: limits.maxPendingBytes)) queued for all replays"
        }
        return nil
    }

    private func enqueue(_ job: ReplayWriteJob) {
        jobs.append(job)
        pendingBytes += job.byteCount
        jobsQueued += 1
        if !isThreadRunning {
            isThreadRunning = true
            let thread = Thread { [self] in runThread() }
            thread.name = threadName
            thread.start()
        }
        condition.broadcast()
    }

    // MARK: The writer thread

    /// What a job left to do once its I/O is over.
    private struct JobOutcome {
        /// Completions now due, and the error they are called with.
        var completions: [ReplayWriteCompletion] = []
        var error: ReplayWriteError?
        /// The file this job closed for good, if any.
        var closed: QueuedReplayFile?
    }

    private func runThread() {
        while let job = takeJob() {
            let outcome = perform(job)
            // Completions run before the job counts as done, so a `drain` or a wait that
            // returns has seen them all, late registrations included.
            var due = outcome.completions
            repeat {
                for completion in due { completion(outcome.error) }
                due = markDone(closing: outcome.closed)
            } while !due.isEmpty
        }
    }

    /// The next job, waiting for one; nil (and the thread ends) once the queue is stopping and empty.
    private func takeJob() -> ReplayWriteJob? {
        withLock {
            while nextJobIndex == jobs.count {
                if isStopping {
                    isThreadRunning = false
                    return nil
                }
                condition.wait()
            }
            let job = jobs[nextJobIndex]
            jobs[nextJobIndex] = nil
            nextJobIndex += 1
            if nextJobIndex == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                nextJobIndex = 0
            } else if nextJobIndex >= 1024, nextJobIndex * 2 >= jobs.count {
                jobs.removeFirst(nextJobIndex)
                nextJobIndex = 0
            }
            return job
        }
    }

    /// Does one job's I/O, then accounts for its bytes and errors.
    private func perform(_ job: ReplayWriteJob) -> JobOutcome {
        switch job {
        case .open(let file, let exclusive):
            do {
                file.descriptor = try POSIXFile.create(path: file.path, exclusive: exclusive)
                return account(job)
            } catch {
                return account(job, stoppedBy: Self.writeError(error), closing: file)
            }
        case .append(let file, let bytes):
            // After a failed open or write the file takes no more bytes: they are dropped.
            guard file.descriptor >= 0 else { return account(job, appendedTo: file) }
            do {
                try POSIXFile.writeAll(fd: file.descriptor, bytes, path: file.path)
                return account(job, appendedTo: file, written: bytes.count)
            } catch {
                // A failed write leaves the file's end unknown: close it at once, so nothing follows.
                _ = POSIXFile.closeDescriptor(file.descriptor)
                file.descriptor = -1
                let cause = Self.writeError(error)
                let stopped = ReplayWriteError("recording stopped: \(cause.message)", errno: cause.errno)
                return account(job, appendedTo: file, stoppedBy: stopped, closing: file)
            }
        case .close(let file, let sync):
            var failure: ReplayWriteError?
            if file.descriptor >= 0 {
                if sync {
                    do { try POSIXFile.sync(fd: file.descriptor, path: file.path) } catch { failure = Self.writeError(error) }
                }
                do { try POSIXFile.closeChecked(fd: file.descriptor, path: file.path) } catch { failure = failure ?? Self.writeError(error) }
                file.descriptor = -1
            }
            return account(job, stoppedBy: failure, closing: file)
        case .sideFile(let path, let contents, let completion):
            let failure = POSIXFile.writeWholeFile(path: path, contents: contents)
            var outcome = account(job)
            outcome.completions = completion.map { [$0] } ?? []
            outcome.error = failure
            return outcome
        }
    }

    /// Under the lock: releases the job's bytes, updates `file`'s counts and failure, and
    /// stops `closing` from taking work. Takes the closed file's completions, now due.
    private func account(
        _ job: ReplayWriteJob, appendedTo file: QueuedReplayFile? = nil, written: Int = 0,
        stoppedBy failure: ReplayWriteError? = nil, closing closed: QueuedReplayFile? = nil
    ) -> JobOutcome {
        withLock {
            pendingBytes -= job.byteCount
            if let file {
                file.pendingBytes -= job.byteCount
                file.bytesWritten += written
            }
            var outcome = JobOutcome()
            if let closed {
                if let failure { closed.keepFirst(failure) }
                closed.isAcceptingWork = false
                outcome.completions = closed.doneCallbacks
                closed.doneCallbacks = []
                outcome.error = closed.failure
                outcome.closed = closed
            }
            return outcome
        }
    }

    /// Under the lock: counts the job done (and `closed` done for good) and wakes every
    /// waiter; or, when completions were added to `closed` meanwhile, returns them to run first.
    private func markDone(closing closed: QueuedReplayFile?) -> [ReplayWriteCompletion] {
        withLock {
            if let closed, !closed.doneCallbacks.isEmpty {
                defer { closed.doneCallbacks = [] }
                return closed.doneCallbacks
            }
            closed?.isDone = true
            jobsDone += 1
            condition.broadcast()
            return []
        }
    }

    private static func writeError(_ error: any Error) -> ReplayWriteError {
        error as? ReplayWriteError ?? ReplayWriteError("\(error)")
    }

    private static func deadline(after timeout: Duration) -> Date {
        let (seconds, attoseconds) = timeout.components
        return Date(timeIntervalSinceNow: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
