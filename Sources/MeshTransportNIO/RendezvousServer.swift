import MeshTransport
import MeshplayCore
import NIOCore
import NIOPosix

/// The rendezvous node (`meshplay resolver`): one UDP socket around a ``RendezvousService``.
///
/// Meshes register here and newcomers ask it for addresses. It answers only with
/// addresses and never sees game traffic.
public final class RendezvousServer: Sendable {
    /// The bound address.
    public let localAddress: UDPAddress
    private let channel: Channel

    private init(localAddress: UDPAddress, channel: Channel) {
        self.localAddress = localAddress
        self.channel = channel
    }

    /// Binds `host:port` (port 0 picks one) and starts serving `registry`, with a cookie
    /// secret drawn from the system's random source. A port another socket holds is
    /// refused (``UDPBindError``): two resolvers never share one.
    public static func start(
        host: String, port: Int, registry: RendezvousRegistry = RendezvousRegistry(),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RendezvousServer {
        var entropy = SystemEntropy()
        let service = RendezvousService(registry: registry, secret: entropy.bytes(32))
        let channel = try await UDPBind.bind(host: host, port: port) {
            DatagramBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(RendezvousHandler(service: service))
                    }
                }
        }
        guard let local = channel.localAddress.flatMap(UDPAddress.init) else { throw ChannelError.unknownLocalAddress }
        return RendezvousServer(localAddress: local, channel: channel)
    }

    /// Stops serving and closes the socket.
    public func stop() async {
        try? await channel.close()
    }
}

/// Owns the service on the channel's event loop.
private final class RendezvousHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private var service: RendezvousService

    init(service: RendezvousService) { self.service = service }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let from = UDPAddress(envelope.remoteAddress) else { return }
        var punches: [OutgoingDatagram<UDPAddress>] = []
        let reply = service.receive(Array(envelope.data.readableBytesView), from: from, at: .monotonicNow, punches: &punches)
        for punch in punches {
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: punch.address.socketAddress, data: context.channel.allocator.buffer(bytes: punch.bytes))), promise: nil)
        }
        if let reply {
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: context.channel.allocator.buffer(bytes: reply))), promise: nil)
        }
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // An ICMP report about one client must not stop the server.
    }
}
