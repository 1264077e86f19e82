#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MeshTransport
import MeshplayCore
import NIOCore

/// The thread of a ``POSIXUDPDriver``: one loop that reads a batch, runs commands and timers,
/// flushes once and writes a batch, then waits in poll(2) (after spinning for `busyWait`, when
/// asked) for the socket, a command or the next deadline.
///
/// Everything here belongs to the driver's thread once ``run()`` starts; before that it is only
/// built and handed over, hence unchecked. Inlinable (see ``CoreRunner``).
@usableFromInline
final class POSIXDriverLoop<Core: EndpointCore>: @unchecked Sendable where Core.Address == UDPAddress {
    @usableFromInline let socket: BatchDatagramSocket
    @usableFromInline let inbox: DriverInbox<Core>
    @usableFromInline let tickInterval: TimeSpan
    @usableFromInline let busyWait: TimeSpan
    @usableFromInline let makeRunner: @Sendable () -> CoreRunner<Core>

    @inlinable
    init(
        socket: BatchDatagramSocket, inbox: DriverInbox<Core>, tickInterval: TimeAmount, busyWait: TimeAmount,
        makeRunner: @escaping @Sendable () -> CoreRunner<Core>
    ) {
        self.socket = socket
        self.inbox = inbox
        self.tickInterval = TimeSpan(nanoseconds: max(tickInterval.nanoseconds, 1_000_000))
        self.busyWait = TimeSpan(nanoseconds: max(busyWait.nanoseconds, 0))
        self.makeRunner = makeRunner
    }

    @inlinable var now: Timestamp { .monotonicNow }

    /// Runs until the inbox says stop, then fails the commands left and closes the socket.
    @inlinable
    func run() {
        // A local, not a stored property: no run-time exclusivity check on each access.
        var runner = makeRunner()
        var commands: [DriverInbox<Core>.Command] = []
        var nextTick = now.adding(tickInterval)
        var ready = 0
        while inbox.take(into: &commands) {
            var at = now
            for command in commands { command.run(&runner, at) }
            commands.removeAll(keepingCapacity: true)
            if at >= nextTick {
                runner.tick(at: at)
                nextTick = at.adding(tickInterval)
            }
            if ready == 0 { ready = socket.receive() }
            if ready > 0 {
                at = now
                for index in 0..<ready {
                    guard let (bytes, from) = socket.datagram(index) else { continue }
                    runner.receive(Array(bytes), from: from, at: at)
                }
            }
            // One flush and one vector write per turn, whatever the turn did.
            runner.flush(at: at)
            if !runner.linkOutput.datagrams.isEmpty {
                socket.send(runner.linkOutput.datagrams)
                runner.linkOutput.datagrams.removeAll(keepingCapacity: true)
            }
            // A full batch: more are probably waiting, read again at once.
            let full = ready > 0 && socket.lastReadWasFull
            ready = 0
            if !full {
                let deadline = runner.core.nextDeadline.map { min($0, nextTick) } ?? nextTick
                ready = wait(until: deadline)
            }
        }
        inbox.finish()
        socket.close()
    }

    /// Waits for the socket, a command or `deadline`; returns how many datagrams a spin read.
    @inlinable
    func wait(until deadline: Timestamp) -> Int {
        if busyWait > .zero {
            let spinEnd = min(now.adding(busyWait), deadline)
            while now < spinEnd {
                if inbox.hasWork { return 0 }
                let count = socket.receive()
                if count > 0 { return count }
            }
        }
        guard inbox.prepareToSleep() else { return 0 }
        let at = now  // read once: a second read may be past the deadline
        let left = deadline.nanoseconds > at.nanoseconds ? deadline.nanoseconds - at.nanoseconds : 0
        // poll(2) counts whole milliseconds: round up, or the loop would wake early and spin.
        let timeout = Int32(min((left + 999_999) / 1_000_000, UInt64(Int32.max)))
        var descriptors = (
            pollfd(fd: socket.descriptor, events: Int16(POLLIN), revents: 0),
            pollfd(fd: inbox.wakeDescriptor, events: Int16(POLLIN), revents: 0)
        )
        _ = withUnsafeMutableBytes(of: &descriptors) { raw in
            poll(raw.baseAddress!.assumingMemoryBound(to: pollfd.self), 2, timeout)
        }
        inbox.woke()
        return 0
    }
}
