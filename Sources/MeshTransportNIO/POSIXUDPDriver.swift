import MeshTransport
import MeshplayCore
import NIOCore
import NIOPosix

/// Runs one sans-I/O ``EndpointCore`` over one unconnected UDP socket on a thread of its own:
/// the low-latency twin of ``UDPDriver``, for when the event loop itself is the floor.
///
/// The thread reads a batch of datagrams with one recvmmsg(2), hands them to the endpoint and
/// the core (the same ``CoreRunner`` the NIO driver uses), runs the commands other threads
/// posted and the timers that are due, flushes once and writes everything with sendmmsg(2)
/// (a burst to one peer as one segmented write, a burst from one as one read: ``BatchDatagramSocket``);
/// then it waits in poll(2) for the socket, a command or the next deadline (the tick, or the
/// core's ``EndpointCore/nextDeadline``). Read and write buffers are allocated once.
///
/// With `busyWait` above zero the thread keeps reading without sleeping for that long after
/// the socket goes quiet: a wake-up from poll(2) costs several microseconds, a spin costs a
/// core. A benchmark's pinger or a latency-critical node on an idle machine may want it.
///
/// Call ``close()`` when done: the thread runs until then.
public final class POSIXUDPDriver<Core: EndpointCore>: Sendable where Core.Address == UDPAddress {
    /// Called on the driver's thread with what the core reported, in order (as ``UDPDriver``'s).
    public typealias EventHandler = UDPDriver<Core>.EventHandler
    /// A closure run with the core on the driver's thread (as ``UDPDriver``'s).
    public typealias CoreBody<Result> = UDPDriver<Core>.CoreBody<Result>

    /// A command sent to a driver that has closed.
    public struct Closed: Error, Sendable {
        public init() {}
    }

    /// This node's peer id.
    public let peerID: PeerID
    /// The bound local address.
    public let localAddress: UDPAddress

    @usableFromInline let inbox: DriverInbox<Core>
    @usableFromInline let thread: NIOThreadPool

    @usableFromInline
    init(peerID: PeerID, localAddress: UDPAddress, inbox: DriverInbox<Core>, thread: NIOThreadPool) {
        self.peerID = peerID
        self.localAddress = localAddress
        self.inbox = inbox
        self.thread = thread
    }

    /// Binds a socket to `host:port` (port 0 picks a free one) and starts `makeCore()`'s core on
    /// a new thread (the core is made there, before any datagram). A port another socket holds
    /// is refused with a ``UDPBindError``.
    @inlinable
    public static func bind(
        host: String, port: Int, identity: NodeIdentity, credentials: MeshCredentials,
        configuration: LinkConfiguration = LinkConfiguration(), tickInterval: TimeAmount = .milliseconds(5),
        busyWait: TimeAmount = .zero, core makeCore: @escaping @Sendable () -> Core, onEvents: EventHandler? = nil
    ) throws -> POSIXUDPDriver {
        let socket = try BatchDatagramSocket.bind(host: host, port: port)
        let inbox = try DriverInbox<Core>()
        let loop = POSIXDriverLoop(socket: socket, inbox: inbox, tickInterval: tickInterval, busyWait: busyWait) {
            let endpoint = MeshEndpoint<UDPAddress>(identity: identity, credentials: credentials, configuration: configuration, entropy: SystemEntropy())
            return CoreRunner(endpoint: endpoint, core: makeCore(), onEvents: onEvents)
        }
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        thread.submit { state in
            guard case .active = state else { return }
            loop.run()
        }
        return POSIXUDPDriver(peerID: identity.peerID, localAddress: socket.localAddress, inbox: inbox, thread: thread)
    }

    /// Runs `body` with the core on the driver's thread, in its next turn, and carries out what
    /// it leaves; that turn's flush sends what it queued. Throws ``Closed`` after ``close()``.
    @inlinable
    public func withCore<Result: Sendable>(_ body: @escaping CoreBody<Result>) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            inbox.post(.init(
                run: { runner, now in continuation.resume(returning: runner.perform(at: now, body)) },
                cancel: { continuation.resume(throwing: Closed()) }))
        }
    }

    /// Runs `body` with the core like ``withCore(_:)``, without waiting for it (dropped after ``close()``).
    @inlinable
    public func perform(_ body: @escaping CoreBody<Void>) {
        inbox.post(.init(run: { runner, now in runner.perform(at: now, body) }, cancel: {}))
    }

    /// Runs `body` with the endpoint alone (sends, figures), like ``withCore(_:)``.
    public func withEndpoint<Result: Sendable>(_ body: @escaping @Sendable (inout MeshEndpoint<UDPAddress>) -> Result) async throws -> Result {
        try await withCore { _, endpoint, _, _ in body(&endpoint) }
    }

    /// Starts a handshake with the node at `address`.
    public func connect(to address: UDPAddress) {
        perform { _, _, _, output in output.connects.append(address) }
    }

    /// Sends `bytes` as they are from this socket, in order with the links' datagrams (a punch, a relay bind).
    public func sendCleartext(_ bytes: [UInt8], to address: UDPAddress) {
        perform { _, _, _, output in output.punches.append(OutgoingDatagram(address: address, bytes: bytes)) }
    }

    /// Closes the link to `peer` (the peer is told); a ``LinkEvent/linkLost(peer:reason:)`` follows.
    public func disconnect(_ peer: PeerID) {
        perform { _, _, _, output in output.disconnects.append(peer) }
    }

    /// Stops the thread after its current turn, fails the commands left with ``Closed`` and
    /// closes the socket. Safe to call more than once.
    public func close() async {
        inbox.stop()
        try? await thread.shutdownGracefully()
    }
}
