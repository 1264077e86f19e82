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
/// stopped (it must then fail whoever waits for it). The pipe is written only when the thread sleeps, so a
/// busy driver pays one uncontended lock per loop turn and no system call.
final class DriverInbox<Core: EndpointCore>: Sendable where Core.Address == UDPAddress {
    struct Command: Sendable {
        /// Runs on the driver's thread.
        let run: @Sendable (_ runner: inout CoreRunner<Core>, _ now: Timestamp) -> Void
        /// Runs instead when the driver has stopped.
        let cancel: @Sendable () -> Void
    }

    private struct State {
        var commands: [Command] = []
        var sleeping = false
        var wakePending = false
        var stopping = false
        var stopped = false
    }

    private let state = NIOLockedValueBox(State())
    /// The read end, polled beside the socket; the write end is written one byte to wake.
    let wakeDescriptor: Int32
    private let wakeWriteDescriptor: Int32

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
    func post(_ command: Command) {
        let (accepted, wake) = state.withLockedValue { state -> (Bool, Bool) in
            guard !state.stopped else { return (false, false) }
            state.commands.append(command)
            let wake = state.sleeping && !state.wakePending
            if wake { state.wakePending = true }
            return (true, wake)
        }
        if !accepted { command.cancel() }
        if wake { ringBell() }
    }

    /// Asks the thread to stop after its current turn.
    func stop() {
        let wake = state.withLockedValue { state -> Bool in
            state.stopping = true
            let wake = state.sleeping && !state.wakePending
            if wake { state.wakePending = true }
            return wake
        }
        if wake { ringBell() }
    }

    /// Moves the waiting commands into `commands` (empty, its storage reused); false once stopping.
    func take(into commands: inout [Command]) -> Bool {
        state.withLockedValue { state in
            swap(&commands, &state.commands)
            return !state.stopping
        }
    }

    /// Whether a command or a stop waits (the spinning thread's check).
    var hasWork: Bool { state.withLockedValue { !$0.commands.isEmpty || $0.stopping } }

    /// Marks the thread asleep unless work waits: true when it may block in poll(2).
    func prepareToSleep() -> Bool {
        state.withLockedValue { state in
            guard state.commands.isEmpty, !state.stopping else { return false }
            state.sleeping = true
            return true
        }
    }

    /// The thread is awake again: drains the pipe if it was rung.
    func woke() {
        let rung = state.withLockedValue { state -> Bool in
            state.sleeping = false
            defer { state.wakePending = false }
            return state.wakePending
        }
        guard rung else { return }
        var byte: UInt8 = 0
        while read(wakeDescriptor, &byte, 1) > 0 {}
    }

    /// The thread has ended: every command still waiting, and every later one, is cancelled.
    func finish() {
        let left = state.withLockedValue { state -> [Command] in
            state.stopped = true
            defer { state.commands = [] }
            return state.commands
        }
        for command in left { command.cancel() }
    }

    private func ringBell() {
        var byte: UInt8 = 1
        _ = write(wakeWriteDescriptor, &byte, 1)
    }
}
