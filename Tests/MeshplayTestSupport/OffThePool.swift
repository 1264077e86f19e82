import Foundation
import Synchronization

/// Runs a test's long work on a thread of its own instead of on the cooperative pool.
///
/// Why: Swift Testing runs every test on the cooperative pool, which on these two-core machines
/// is two threads. A synchronous test that computes for a minute, or blocks a minute waiting for
/// child processes, holds one of them for that minute; two such tests together stop every other
/// task in the process: the real-socket tests' sleeps, node start-ups and waits then overrun their
/// deadlines with nothing wrong in the code (a CI run had a room wait 120 s for a match that never
/// got a thread to start on). Off the pool, long work shares the CPU with the socket tests through
/// the kernel's scheduler instead of locking them out.
///
/// The work runs in the calling task (under a task-executor preference), so `#expect` and
/// `#require` inside it record their issues against the test as usual.
public enum OffThePool {
    /// Runs CPU-bound `work` (whole simulated matches, soaks, many verifications) on a thread of
    /// its own, one such piece of work in the process at a time, so that the computations of many
    /// tests never crowd the socket tests' threads out of both cores at once.
    public static func compute<T>(_ work: () throws -> T) async rethrows -> T {
        await computeSlot.enter()
        defer { computeSlot.leave() }
        return try await onOwnThread(work)
    }

    /// Runs `work` that mostly blocks (waiting for child processes, polling files) on a thread of
    /// its own; any number at once, since a blocked thread costs no CPU.
    public static func wait<T>(_ work: () throws -> T) async rethrows -> T {
        try await onOwnThread(work)
    }

    /// Runs an async test body on a thread of its own: its awaits (sleeps, child tasks, socket
    /// replies) resume there, never queued behind other tests' work on the pool. For tests whose
    /// deadlines are wall-clock time: real sockets, child processes.
    public static func wait<T>(_ work: () async throws -> T) async rethrows -> T {
        let executor = DedicatedThreadExecutor()
        defer { executor.shutdown() }
        return try await withTaskExecutorPreference(executor) { try await work() }
    }

    private static func onOwnThread<T>(_ work: () throws -> T) async rethrows -> T {
        let executor = DedicatedThreadExecutor()
        defer { executor.shutdown() }
        return try await withTaskExecutorPreference(executor) { try work() }
    }

    private static let computeSlot = OneAtATime()
}

/// A first-come, first-served slot: at most one holder, waiters suspended (holding no thread).
final class OneAtATime: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state -> Bool in
                if state.held {
                    state.waiters.append(continuation)
                    return false
                }
                state.held = true
                return true
            }
            if granted { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()  // the slot passes straight to the next waiter
        }
        next?.resume()
    }
}

/// A task executor with one thread of its own, running the jobs enqueued on it in order.
final class DedicatedThreadExecutor: TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var stopping = false

    init() {
        let thread = Thread { [self] in runLoop() }
        thread.stackSize = 8 << 20
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    /// Ends the thread once the jobs already queued have run.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func runLoop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}
