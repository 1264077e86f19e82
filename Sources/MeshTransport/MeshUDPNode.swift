import MeshplayCore
import NIOCore
import NIOPosix

/// A mesh node over one unconnected UDP socket (IPv4 or IPv6): the thin SwiftNIO
/// shell around a ``MeshEndpoint``.
///
/// All endpoint work happens on the channel's event loop. Datagrams read in one
/// batch are handed to the endpoint one by one and flushed once at the end of the
/// batch, so replies and acknowledgements are packed together. A repeating timer
/// drives ``MeshEndpoint/tick(at:into:)``. The monotonic clock (`NIODeadline.now()`)
/// supplies `now`; ``SystemEntropy`` supplies randomness.
///
/// Events reach the `onEvent` handler on the event loop, with the endpoint itself so
/// the handler can answer at once (keep it fast: it runs in the receive path). Without
/// a handler they go to the ``events`` stream instead, which buffers until read: a node
/// created without a handler must have its stream consumed.
public final class MeshUDPNode: Sendable {
    /// Runs on the event loop for every event, with the endpoint for immediate replies.
    public typealias EventHandler = @Sendable (LinkEvent<UDPAddress>, inout MeshEndpoint<UDPAddress>) -> Void

    /// This node's peer id.
    public let peerID: PeerID
    /// The bound local address.
    public let localAddress: SocketAddress
    /// Every event, in order, when the node has no `onEvent` handler (otherwise it finishes at once).
    /// Finishes when the node closes.
    public let events: AsyncStream<LinkEvent<UDPAddress>>

    private let channel: Channel
    private let handler: NIOLoopBound<MeshChannelHandler>

    private init(peerID: PeerID, localAddress: SocketAddress, events: AsyncStream<LinkEvent<UDPAddress>>, channel: Channel, handler: NIOLoopBound<MeshChannelHandler>) {
        self.peerID = peerID
        self.localAddress = localAddress
        self.events = events
        self.channel = channel
        self.handler = handler
    }

    /// Binds a node to `host:port` (port 0 picks a free one) on `group`.
    public static func bind(
        host: String, port: Int, identity: NodeIdentity, credentials: MeshCredentials,
        configuration: LinkConfiguration = LinkConfiguration(), tickInterval: TimeAmount = .milliseconds(5),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, onEvent: EventHandler? = nil
    ) async throws -> MeshUDPNode {
        let (events, streamContinuation) = AsyncStream<LinkEvent<UDPAddress>>.makeStream()
        let continuation: AsyncStream<LinkEvent<UDPAddress>>.Continuation?
        if onEvent == nil {
            continuation = streamContinuation
        } else {
            continuation = nil
            streamContinuation.finish()
        }
        let slot = 2048
        let vector = 16
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
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
                    let handler = MeshChannelHandler(endpoint: endpoint, tickInterval: tickInterval, onEvent: onEvent, continuation: continuation)
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .bind(host: host, port: port)
            .get()
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: MeshChannelHandler.self), eventLoop: channel.eventLoop)
        }.get()
        guard let local = channel.localAddress else { throw ChannelError.unknownLocalAddress }
        return MeshUDPNode(peerID: identity.peerID, localAddress: local, events: events, channel: channel, handler: handler)
    }

    /// The event loop all of this node's work runs on.
    public var eventLoop: EventLoop { channel.eventLoop }

    /// Runs `body` with the endpoint on the event loop (at once when already there), then flushes.
    /// Use it to send several messages in one go, or to read stats.
    @discardableResult
    public func withEndpoint<Result: Sendable>(_ body: @escaping @Sendable (inout MeshEndpoint<UDPAddress>) -> Result) -> EventLoopFuture<Result> {
        let handler = self.handler
        if channel.eventLoop.inEventLoop, !handler.value.isDeliveringEvents {
            return channel.eventLoop.makeSucceededFuture(handler.value.perform(body))
        }
        return channel.eventLoop.submit { handler.value.perform(body) }
    }

    /// Starts a handshake with the node at `address`.
    public func connect(to address: SocketAddress) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.connect(to: UDPAddress(address)) }
    }

    /// Closes the link to `peer` (the peer is told); a ``LinkEvent/linkLost(peer:reason:)`` follows.
    public func disconnect(_ peer: PeerID) {
        let handler = self.handler
        channel.eventLoop.execute { handler.value.disconnect(peer) }
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

    /// Closes the socket; the ``events`` stream finishes.
    public func close() async throws {
        try await channel.close()
    }
}

/// The channel handler that owns the endpoint (event-loop confined).
final class MeshChannelHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private var endpoint: MeshEndpoint<UDPAddress>
    private var output = EndpointOutput<UDPAddress>()
    private var context: ChannelHandlerContext?
    private var inReadBatch = false
    private var ticker: RepeatedTask?
    private let tickInterval: TimeAmount
    private let onEvent: MeshUDPNode.EventHandler?
    private let continuation: AsyncStream<LinkEvent<UDPAddress>>.Continuation?

    init(endpoint: MeshEndpoint<UDPAddress>, tickInterval: TimeAmount, onEvent: MeshUDPNode.EventHandler?, continuation: AsyncStream<LinkEvent<UDPAddress>>.Continuation?) {
        self.endpoint = endpoint
        self.tickInterval = tickInterval
        self.onEvent = onEvent
        self.continuation = continuation
    }

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
        continuation?.finish()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        inReadBatch = true
        let bytes = Array(envelope.data.readableBytesView)
        endpoint.receive(bytes, from: UDPAddress(envelope.remoteAddress), at: now, into: &output)
        deliverEvents()
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        inReadBatch = false
        endpoint.flush(at: now, into: &output)
        finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // A UDP socket error (for example an ICMP report) must not end the node: ignore it.
    }

    func tick() {
        endpoint.tick(at: now, into: &output)
        finish()
    }

    /// Delivers events, flushes whatever the event handler queued, and writes.
    private func finish() {
        while !output.events.isEmpty {
            deliverEvents()
            endpoint.flush(at: now, into: &output)
        }
        writeOut()
    }

    func connect(to address: UDPAddress) {
        endpoint.connect(to: address, at: now, into: &output)
        finish()
    }

    func disconnect(_ peer: PeerID) {
        endpoint.disconnect(peer, at: now, into: &output)
        finish()
    }

    /// True while the event handler holds the endpoint.
    private(set) var isDeliveringEvents = false

    func perform<Result>(_ body: (inout MeshEndpoint<UDPAddress>) -> Result) -> Result {
        let result = body(&endpoint)
        if !inReadBatch {
            endpoint.flush(at: now, into: &output)
            finish()
        }
        return result
    }

    private func deliverEvents() {
        guard !output.events.isEmpty else { return }
        isDeliveringEvents = true
        if let onEvent {
            for event in output.events { onEvent(event, &endpoint) }
        } else if let continuation {
            for event in output.events { continuation.yield(event) }
        }
        isDeliveringEvents = false
        output.events.removeAll(keepingCapacity: true)
    }

    private func writeOut() {
        guard !output.datagrams.isEmpty else { return }
        guard let context else {
            output.datagrams.removeAll(keepingCapacity: true)
            return
        }
        for datagram in output.datagrams {
            let buffer = context.channel.allocator.buffer(bytes: datagram.bytes)
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: datagram.address.socketAddress, data: buffer)), promise: nil)
        }
        output.datagrams.removeAll(keepingCapacity: true)
        context.flush()
    }
}
