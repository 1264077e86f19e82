#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MeshTransport
import MeshplayCore
import NIOConcurrencyHelpers

/// Commands for a ``POSIXUDPDriver``'s thread from any other, and the pipe that wakes the thread
/// from poll(2) when one arrives while it sleeps.
///
/// A command runs with the driver's ``CoreRunner`` and now, or is cancelled once the driver has
/// stopped (it must then fail whoever waits for it). The pipe is written only when the thread
/// sleeps, so a busy driver pays one uncontended lock per loop turn and no system call. What the
/// thread checks every turn lives in ``Flags``, which is not generic: in generic code a look at
/// a generic value costs a type-metadata lookup.
@usableFromInline
final class DriverInbox<Core: EndpointCore>: @unchecked Sendable where Core.Address == UDPAddress {
    @usableFromInline
    struct Command: Sendable {
        /// Runs on the driver's thread.
        @usableFromInline let run: @Sendable (_ runner: inout CoreRunner<Core>, _ now: Timestamp) -> Void
        /// Runs instead when the driver has stopped.
        @usableFromInline let cancel: @Sendable () -> Void

        @inlinable
        init(run: @escaping @Sendable (_ runner: inout CoreRunner<Core>, _ now: Timestamp) -> Void, cancel: @escaping @Sendable () -> Void) {
            self.run = run
            self.cancel = cancel
        }
    }

    // Everything below is guarded by `lock`.
    private let lock = NIOLock()
    private var commands: [Command] = []
    private var flags = InboxFlags()

    /// The read end, polled beside the socket; the write end is written one byte to wake.
    @usableFromInline let wakeDescriptor: Int32
    private let wakeWriteDescriptor: Int32

    @usableFromInline
    init() throws(UDPBindError) {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else {
            throw UDPBindError(host: "", port: 0, reason: "no wake pipe: \(String(cString: strerror(errno)))", errno: errno)
        }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        wakeDescriptor = ends[0]
        wakeWriteDescriptor = ends[1]
    }

    deinit {
        _ = close(wakeDescriptor)
        _ = close(wakeWriteDescriptor)
    }

    /// Queues `command` for the thread; once the driver has stopped, cancels it at once.
    @usableFromInline
    func post(_ command: Command) {
        let (accepted, wake) = lock.withLock { () -> (Bool, Bool) in
            guard !flags.stopped else { return (false, false) }
            commands.append(command)
            flags.pending += 1
            return (true, flags.takeWake())
        }
        if !accepted { command.cancel() }
        if wake { ringBell() }
    }

    /// Asks the thread to stop after its current turn.
    func stop() {
        let wake = lock.withLock { () -> Bool in
            flags.stopping = true
            return flags.takeWake()
        }
        if wake { ringBell() }
    }

    /// Moves the waiting commands into `commands` (empty, its storage reused); false once stopping.
    @usableFromInline
    func take(into taken: inout [Command]) -> Bool {
        lock.withLock {
            if flags.pending > 0 {
                swap(&taken, &commands)
                flags.pending = 0
            }
            return !flags.stopping
        }
    }

    /// Whether a command or a stop waits (the spinning thread's check).
    @usableFromInline
    var hasWork: Bool { lock.withLock { flags.pending > 0 || flags.stopping } }

    /// Marks the thread asleep unless work waits: true when it may block in poll(2).
    @usableFromInline
    func prepareToSleep() -> Bool {
        lock.withLock {
            guard flags.pending == 0, !flags.stopping else { return false }
            flags.sleeping = true
            return true
        }
    }

    /// The thread is awake again: drains the pipe if it was rung.
    @usableFromInline
    func woke() {
        let rung = lock.withLock { () -> Bool in
            flags.sleeping = false
            defer { flags.wakePending = false }
            return flags.wakePending
        }
        guard rung else { return }
        var byte: UInt8 = 0
        while read(wakeDescriptor, &byte, 1) > 0 {}
    }

    /// The thread has ended: every command still waiting, and every later one, is cancelled.
    @usableFromInline
    func finish() {
        let left = lock.withLock { () -> [Command] in
            flags.stopped = true
            flags.pending = 0
            defer { commands = [] }
            return commands
        }
        for command in left { command.cancel() }
    }

    private func ringBell() {
        var byte: UInt8 = 1
        _ = write(wakeWriteDescriptor, &byte, 1)
    }
}

/// The state of a ``DriverInbox`` its thread reads every turn.
private struct InboxFlags {
    /// Commands waiting.
    var pending = 0
    var sleeping = false
    var wakePending = false
    var stopping = false
    var stopped = false

    /// Whether the thread must be woken now (it sleeps and no wake is on its way); notes the wake.
    mutating func takeWake() -> Bool {
        guard sleeping, !wakePending else { return false }
        wakePending = true
        return true
    }
}
