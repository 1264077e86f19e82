import MeshTransport
import NIOCore
import NIOPosix

/// A plain UDP socket for the resolvers (LAN discovery, rendezvous): not the mesh's
/// sealed links, just small cleartext datagrams with a handler for what arrives.
struct DatagramSocket: Sendable {
    typealias Handler = @Sendable (_ bytes: [UInt8], _ from: UDPAddress, _ socket: DatagramSocket) -> Void

    let channel: Channel
    /// Whether the socket is IPv6 (dual-stack): it reaches IPv4 addresses at their mapped form.
    let isIPv6: Bool
    var localAddress: UDPAddress? { channel.localAddress.flatMap(UDPAddress.init) }

    /// Binds `host:port` (0 picks a port). `broadcast` allows sending to broadcast addresses;
    /// `sharesPort` lets other processes on this host listen on the same port (the LAN
    /// listener's well-known port), which every other socket refuses.
    static func bind(
        host: String, port: Int, broadcast: Bool = false, sharesPort: Bool = false,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton, handler: @escaping Handler
    ) async throws -> DatagramSocket {
        let channel = try await UDPBind.bind(host: host, port: port) {
            DatagramBootstrap(group: group)
                .channelOption(.socketOption(.so_reuseaddr), value: sharesPort ? 1 : 0)
                .channelOption(.socketOption(.so_broadcast), value: broadcast ? 1 : 0)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(InboundHandler(handler: handler))
                    }
                }
        }
        return DatagramSocket(channel: channel, isIPv6: channel.localAddress?.protocol == .inet6)
    }

    /// Sends one datagram (errors such as an unreachable address are ignored: UDP is best effort).
    func send(_ bytes: [UInt8], to address: UDPAddress) {
        let buffer = channel.allocator.buffer(bytes: bytes)
        channel.writeAndFlush(AddressedEnvelope(remoteAddress: address.socketAddress(fromIPv6Socket: isIPv6), data: buffer), promise: nil)
    }

    /// Sends one datagram and waits until the socket has taken it (so a close right after cannot discard it).
    func sendAndWait(_ bytes: [UInt8], to address: UDPAddress) async {
        let buffer = channel.allocator.buffer(bytes: bytes)
        try? await channel.writeAndFlush(AddressedEnvelope(remoteAddress: address.socketAddress(fromIPv6Socket: isIPv6), data: buffer))
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
        guard let from = UDPAddress(envelope.remoteAddress) else { return }
        handler(Array(envelope.data.readableBytesView), from, DatagramSocket(channel: context.channel, isIPv6: context.channel.localAddress?.protocol == .inet6))
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        // ICMP errors and the like must not close a listening socket.
    }
}
