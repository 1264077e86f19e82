import MeshplayCore
import NIOCore
import NIOPosix

/// The rendezvous node (`meshplay resolver`): a UDP socket around a ``RendezvousRegistry``.
///
/// Meshes register here and newcomers ask it for addresses. It answers only with
/// addresses and never sees game traffic. Registrations take the sender's IP, so a node
/// can register only addresses on its own host (short of spoofing its source).
public final class RendezvousServer: Sendable {
    /// The bound address.
    public let localAddress: SocketAddress
    private let channel: Channel

    private init(localAddress: SocketAddress, channel: Channel) {
        self.localAddress = localAddress
        self.channel = channel
    }

    /// Binds `host:port` (port 0 picks one) and starts serving.
    public static func start(
        host: String, port: Int, registry: RendezvousRegistry = RendezvousRegistry(),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RendezvousServer {
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RendezvousHandler(registry: registry))
                }
            }
            .bind(host: host, port: port)
            .get()
        guard let local = channel.localAddress else { throw ChannelError.unknownLocalAddress }
        return RendezvousServer(localAddress: local, channel: channel)
    }

    /// Stops serving and closes the socket.
    public func stop() async {
        try? await channel.close()
    }
}

/// Owns the registry on the channel's event loop.
private final class RendezvousHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private var registry: RendezvousRegistry

    init(registry: RendezvousRegistry) { self.registry = registry }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let from = envelope.remoteAddress
        let now = Timestamp.monotonicNow
        switch RendezvousMessage(decoding: Array(envelope.data.readableBytesView)) {
        case .register(let name, let port):
            if let ip = from.ipAddress, let address = try? SocketAddress(ipAddress: ip, port: Int(port)) {
                registry.register(meshName: name, address: address, at: now)
            }
        case .resolve(let id, let name):
            let answer = RendezvousMessage.answer(requestID: id, addresses: registry.resolve(meshName: name, at: now))
            let buffer = context.channel.allocator.buffer(bytes: answer.encoded)
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: from, data: buffer)), promise: nil)
        case .answer, nil:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // An ICMP report about one client must not stop the server.
    }
}
