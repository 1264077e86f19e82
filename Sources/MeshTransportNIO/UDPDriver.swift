import MeshTransport
import MeshplayCore
import NIOCore
import NIOPosix

/// Runs one sans-I/O ``EndpointCore`` over one unconnected UDP socket (IPv4 or IPv6): the
/// only SwiftNIO shell the mesh needs, whatever the core (a mesh node, the lobby's room
/// probe, a player's node).
///
/// The driver owns the socket, a ``MeshEndpoint`` and the core, all confined to the
/// channel's event loop. Datagrams read in one batch are handed to the endpoint one by one,
/// every endpoint event goes to the core at once (so a core can answer in the receive path),
/// and everything queued is flushed and written once at the end of the batch. A repeating
/// timer ticks the endpoint and then the core every `tickInterval`. The links the core asks
/// for are opened and closed through the endpoint; the events it reports go to `onEvents`
/// on the event loop. `now` comes from the monotonic clock; randomness from ``SystemEntropy``.
///
/// From other threads, ``withCore(_:)`` runs a closure with the core on the loop (commands,
/// reads of its state) and carries out what it leaves in the output.
public final class UDPDriver<Core: EndpointCore>: Sendable where Core.Address == UDPAddress {
    /// Called on the event loop with what the core reported, in order.
    public typealias EventHandler = @Sendable (_ events: [Core.Event]) -> Void
    /// A closure run with the core on the loop: the core, its endpoint, now, and the output to carry out.
    public typealias CoreBody<Result> = @Sendable (
        _ core: inout Core, _ endpoint: inout MeshEndpoint<UDPAddress>, _ now: Timestamp,
        _ output: inout CoreOutput<UDPAddress, Core.Event>
    ) -> Result

    /// This node's peer id.
    public let peerID: PeerID
    /// The bound local address.
    public let localAddress: UDPAddress

    private let channel: Channel
    private let handler: NIOLoopBound<UDPDriverHandler<Core>>

    private init(peerID: PeerID, localAddress: UDPAddress, channel: Channel, handler: NIOLoopBound<UDPDriverHandler<Core>>) {
        self.peerID = peerID
        self.localAddress = localAddress
        self.channel = channel
        self.handler = handler
    }

    /// Binds a socket to `host:port` (port 0 picks a free one) on one loop of `group` and
    /// starts `makeCore()`'s core on it (the core is made on the loop, before any datagram).
    /// A port another socket holds is refused with a ``UDPBindError``.
    public static func bind(
        host: String, port: Int, identity: NodeIdentity, credentials: MeshCredentials,
        configuration: LinkConfiguration = LinkConfiguration(), tickInterval: TimeAmount = .milliseconds(5),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        core makeCore: @escaping @Sendable () -> Core, onEvents: EventHandler? = nil
    ) async throws -> UDPDriver {
        // One slot per datagram of a vector read; a datagram larger than a slot is cut by
        // the kernel, which the packet length and tag then reject (PacketFormat.md).
        let slot = 2048
        let vector = 16
        let channel = try await UDPBind.bind(host: host, port: port) {
            DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                .channelOption(.socketOption(.so_sndbuf), value: 4 << 20)
                .channelOption(.datagramVectorReadMessageCount, value: vector)
                .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: slot * vector))
                .channelOption(.maxMessagesPerRead, value: 64)
                .channelOption(.writeBufferWaterMark, value: .init(low: 4 << 20, high: 16 << 20))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let endpoint = MeshEndpoint<UDPAddress>(
                            identity: identity, credentials: credentials, configuration: configuration, entropy: SystemEntropy())
                        let handler = UDPDriverHandler(endpoint: endpoint, core: makeCore(), tickInterval: tickInterval, onEvents: onEvents)
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: UDPDriverHandler<Core>.self), eventLoop: channel.eventLoop)
        }.get()
        guard let local = channel.localAddress.flatMap(UDPAddress.init) else { throw ChannelError.unknownLocalAddress }
        return UDPDriver(peerID: identity.peerID, localAddress: local, channel: channel, handler: handler)
    }

    /// The event loop all of this driver's work runs on.
    public var eventLoop: EventLoop { channel.eventLoop }

    /// Runs `body` with the core on the event loop (at once when already there and no core
    /// call is under way), then carries out the output and flushes.
    @discardableResult
    public func withCore<Result: Sendable>(_ body: @escaping CoreBody<Result>) -> EventLoopFuture<Result> {
        let handler = self.handler
        if channel.eventLoop.inEventLoop, !handler.value.isBusy {
            return channel.eventLoop.makeSucceededFuture(handler.value.perform(body))
        }
        return channel.eventLoop.submit { handler.value.perform(body) }
    }

    /// Runs `body` with the endpoint alone (sends, figures), like ``withCore(_:)``.
    @discardableResult
    public func withEndpoint<Result: Sendable>(_ body: @escaping @Sendable (inout MeshEndpoint<UDPAddress>) -> Result) -> EventLoopFuture<Result> {
        withCore { _, endpoint, _, _ in body(&endpoint) }
    }

    /// Starts a handshake with the node at `address`.
    public func connect(to address: UDPAddress) {
        withCore { _, _, _, output in output.connects.append(address) }
    }

    /// Sends one small hole-punching datagram to `address` (see ``MeshEndpoint/punch(toward:into:)``).
    public func punch(toward address: UDPAddress) {
        sendCleartext(MeshEndpoint<UDPAddress>.punchDatagram, to: address)
    }

    /// Sends `bytes` as they are from this socket, in order with the links' datagrams: what a
    /// rendezvous node asks of it (``GameSocketDatagram``).
    public func sendCleartext(_ bytes: [UInt8], to address: UDPAddress) {
        withCore { _, _, _, output in output.punches.append(OutgoingDatagram(address: address, bytes: bytes)) }
    }

    /// Closes the link to `peer` (the peer is told); a ``LinkEvent/linkLost(peer:reason:)`` follows.
    public func disconnect(_ peer: PeerID) {
        withCore { _, _, _, output in output.disconnects.append(peer) }
    }

    /// Queues a reliable-ordered message for `peer`; see ``MeshEndpoint/sendReliable(_:channel:to:)``.
    public func sendReliable(_ bytes: [UInt8], channel number: UInt8, to peer: PeerID) async throws -> SendResult {
        try await withEndpoint { $0.sendReliable(bytes, channel: number, to: peer) }.get()
    }

    /// Queues an unreliable datagram for `peer`; see ``MeshEndpoint/sendUnreliable(_:channel:to:)``.
    public func sendUnreliable(_ bytes: [UInt8], channel number: UInt8, to peer: PeerID) async throws -> SendResult {
        try await withEndpoint { $0.sendUnreliable(bytes, channel: number, to: peer) }.get()
    }

    /// The link figures for `peer`.
    public func stats(for peer: PeerID) async throws -> LinkStats? {
        try await withEndpoint { $0.stats(for: peer) }.get()
    }

    /// Stops the timer and closes the socket. Safe to call more than once.
    public func close() async {
        try? await channel.close()
    }
}

/// The channel handler that owns the endpoint and the core (event-loop confined).
final class UDPDriverHandler<Core: EndpointCore>: ChannelInboundHandler where Core.Address == UDPAddress {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private var runner: CoreRunner<Core>
    private var context: ChannelHandlerContext?
    private var socketAddresses = SocketAddressCache()
    private var socketFamilyKnown = false
    private var inReadBatch = false
    private var ticker: RepeatedTask?
    private let tickInterval: TimeAmount

    init(endpoint: MeshEndpoint<UDPAddress>, core: Core, tickInterval: TimeAmount, onEvents: UDPDriver<Core>.EventHandler?) {
        runner = CoreRunner(endpoint: endpoint, core: core, onEvents: onEvents)
        self.tickInterval = tickInterval
    }

    /// True while the runner (and so the core or its event handler) runs: a synchronous
    /// ``UDPDriver/withCore(_:)`` then waits its turn.
    private(set) var isBusy = false

    private var now: Timestamp { .monotonicNow }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        ticker = context.eventLoop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { _ in
            loopBound.value.tick()
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        ticker?.cancel()
        ticker = nil
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let from = UDPAddress(envelope.remoteAddress) else { return }
        inReadBatch = true
        isBusy = true
        runner.receive(Array(envelope.data.readableBytesView), from: from, at: now)
        isBusy = false
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inReadBatch = false
        finish(at: now)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A UDP socket error (for example an ICMP port-unreachable report) must not end the node: ignore it.
    }

    private func tick() {
        isBusy = true
        runner.tick(at: now)
        isBusy = false
        writeOut()
    }

    func perform<Result>(_ body: UDPDriver<Core>.CoreBody<Result>) -> Result {
        let at = now
        isBusy = true
        let result = runner.perform(at: at, body)
        isBusy = false
        // Inside a read batch, the end of the batch flushes.
        if !inReadBatch { finish(at: at) }
        return result
    }

    /// Flushes the endpoint and writes every datagram.
    private func finish(at now: Timestamp) {
        isBusy = true
        runner.flush(at: now)
        isBusy = false
        writeOut()
    }

    private func writeOut() {
        guard !runner.linkOutput.datagrams.isEmpty else { return }
        guard let context else {
            runner.linkOutput.datagrams.removeAll(keepingCapacity: true)
            return
        }
        if !socketFamilyKnown, let local = context.channel.localAddress {
            // A dual-stack IPv6 socket writes to IPv4 peers at their mapped form.
            socketAddresses.isIPv6Socket = local.protocol == .inet6
            socketFamilyKnown = true
        }
        for datagram in runner.linkOutput.datagrams {
            let buffer = context.channel.allocator.buffer(bytes: datagram.bytes)
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: socketAddresses.socketAddress(of: datagram.address), data: buffer)), promise: nil)
        }
        runner.linkOutput.datagrams.removeAll(keepingCapacity: true)
        context.flush()
    }
}

/// The simplest core: every endpoint event goes to a handler with the endpoint, which may
/// answer at once (benchmarks and transport tests).
public struct LinkEventHandler: EndpointCore {
    public typealias Address = UDPAddress
    public typealias Event = Never

    /// What runs for each event.
    public typealias Body = @Sendable (LinkEvent<UDPAddress>, inout MeshEndpoint<UDPAddress>) -> Void

    /// Runs on the event loop for every event, with the endpoint for immediate replies.
    public let handle: Body

    /// A core calling `handle` for each event.
    public init(_ handle: @escaping Body) {
        self.handle = handle
    }

    public func receive(
        _ event: LinkEvent<UDPAddress>, endpoint: inout MeshEndpoint<UDPAddress>, at now: Timestamp,
        into output: inout CoreOutput<UDPAddress, Never>
    ) {
        handle(event, &endpoint)
    }

    public func tick(endpoint: inout MeshEndpoint<UDPAddress>, at now: Timestamp, into output: inout CoreOutput<UDPAddress, Never>) {}
}
