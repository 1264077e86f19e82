import NIOCore
import NIOPosix

/// A plain UDP socket for the resolvers (LAN discovery, rendezvous): not the mesh's
/// sealed links, just small cleartext datagrams with a handler for what arrives.
struct DatagramSocket: Sendable {
    typealias Handler = @Sendable (_ bytes: [UInt8], _ from: SocketAddress, _ socket: DatagramSocket) -> Void

    let channel: Channel
    var localAddress: SocketAddress? { channel.localAddress }

    /// Binds `host:port` (0 picks a port). `broadcast` allows sending to broadcast addresses.
    static func bind(
        host: String, port: Int, broadcast: Bool = false, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        handler: @escaping Handler
    ) async throws -> DatagramSocket {
        let channel = try await DatagramBootstrap(group: group)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_broadcast), value: broadcast ? 1 : 0)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(InboundHandler(handler: handler))
                }
            }
            .bind(host: host, port: port)
            .get()
        return DatagramSocket(channel: channel)
    }

    /// Sends one datagram (errors such as an unreachable address are ignored: UDP is best effort).
    func send(_ bytes: [UInt8], to address: SocketAddress) {
        let buffer = channel.allocator.buffer(bytes: bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address, data: buffer), promise: nil)
    }

    /// Closes the socket.
    func close() async {
        try? await channel.close()
    }
}

private final class InboundHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    let handler: DatagramSocket.Handler

    init(handler: @escaping DatagramSocket.Handler) { self.handler = handler }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        handler(Array(envelope.data.readableBytesView), envelope.remoteAddress, DatagramSocket(channel: context.channel))
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ICMP errors and the like must not close a listening socket.
    }
}
