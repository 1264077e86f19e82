import MeshTransport
import MeshplayCore
import NIOCore
import NIOPosix

/// The rendezvous node (`meshplay resolver`): one UDP socket around a ``RendezvousService``,
/// and with a relay, a pool of relay ports beside it (all on one event loop, which owns the service).
///
/// Meshes register here and newcomers ask it for addresses. Without a relay it answers only
/// with addresses and never sees game traffic; a relay forwards the sealed datagrams of pairs
/// that cannot reach each other (``RelayTable``), and cannot read them.
public final class RendezvousServer: Sendable {
    /// The bound address.
    public let localAddress: UDPAddress
    /// The relay ports (empty without a relay).
    public let relayPorts: [UInt16]
    private let channels: [Channel]
    private let state: NIOLoopBound<ServiceState>

    private init(localAddress: UDPAddress, relayPorts: [UInt16], channels: [Channel], state: NIOLoopBound<ServiceState>) {
        self.localAddress = localAddress
        self.relayPorts = relayPorts
        self.channels = channels
        self.state = state
    }

    /// Binds `host:port` (port 0 picks one) and starts serving `registry`, with a cookie
    /// secret drawn from the system's random source. A port another socket holds is
    /// refused (``UDPBindError``): two resolvers never share one. With `relayPorts` above 0,
    /// that many more ports are bound on `host` (chosen by the system) as the relay's pool:
    /// half as many pairs can be relayed at once.
    public static func start(
        host: String, port: Int, registry: RendezvousRegistry = RendezvousRegistry(), relayPorts relayCount: Int = 0,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> RendezvousServer {
        var entropy = SystemEntropy()
        let loop = group.next()
        // Made on its loop: the state is confined to it.
        let state = try await loop.submit { NIOLoopBound(ServiceState(), eventLoop: loop) }.get()
        let secret = entropy.bytes(32)
        let relaySecret = entropy.bytes(32)
        var channels: [Channel] = []
        do {
            channels.append(try await UDPBind.bind(host: host, port: port) { bootstrap(loop, state, isRelayPort: false) })
            for _ in 0..<relayCount {
                let channel = try await UDPBind.bind(host: host, port: 0) { bootstrap(loop, state, isRelayPort: true) }
                channels.append(channel)
            }
        } catch {
            for channel in channels { try? await channel.close() }
            throw error
        }
        guard let local = channels[0].localAddress.flatMap(UDPAddress.init) else { throw ChannelError.unknownLocalAddress }
        let ports = channels.dropFirst().compactMap { $0.localAddress?.port.flatMap(UInt16.init(exactly:)) }
        let relayChannels = Dictionary(uniqueKeysWithValues: zip(ports, channels.dropFirst()).map { ($0, $1) })
        try await loop.submit {
            state.value.service = RendezvousService(
                registry: registry, secret: secret, relay: relayCount > 0 ? RelayTable(ports: ports, secret: relaySecret) : nil)
            state.value.relayChannels = relayChannels
        }.get()
        return RendezvousServer(localAddress: local, relayPorts: ports, channels: channels, state: state)
    }

    private static func bootstrap(_ loop: EventLoop, _ state: NIOLoopBound<ServiceState>, isRelayPort: Bool) -> DatagramBootstrap {
        DatagramBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RendezvousHandler(state: state, isRelayPort: isRelayPort))
                }
            }
    }

    /// Bytes the relay forwarded so far, every pair both ways (for figures and tests).
    public func relayedBytes() async throws -> Int {
        let state = self.state
        return try await state.eventLoop.submit {
            state.value.service?.relay?.bytesForwarded ?? 0
        }.get()
    }

    /// Stops serving and closes every socket.
    public func stop() async {
        for channel in channels { try? await channel.close() }
    }
}

/// The service and the relay's sockets, confined to the server's event loop.
private final class ServiceState {
    var service: RendezvousService?
    var relayChannels: [UInt16: Channel] = [:]
}

/// Hands each datagram of one socket (the main one or a relay port) to the shared service.
private final class RendezvousHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>

    private let state: NIOLoopBound<ServiceState>
    private let isRelayPort: Bool

    init(state: NIOLoopBound<ServiceState>, isRelayPort: Bool) {
        self.state = state
        self.isRelayPort = isRelayPort
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        let shared = state.value
        guard let from = UDPAddress(envelope.remoteAddress), shared.service != nil else { return }
        let bytes = Array(envelope.data.readableBytesView)
        if isRelayPort {
            guard let port = context.channel.localAddress?.port.flatMap(UInt16.init(exactly:)),
                  let forward = shared.service!.receive(bytes, from: from, atRelayPort: port, at: .monotonicNow),
                  let channel = shared.relayChannels[forward.fromPort] else { return }
            let toAddress = forward.to.socketAddress(fromIPv6Socket: channel.localAddress?.protocol == .inet6)
            channel.writeAndFlush(AddressedEnvelope(remoteAddress: toAddress, data: channel.allocator.buffer(bytes: forward.bytes)), promise: nil)
            return
        }
        var punches: [OutgoingDatagram<UDPAddress>] = []
        let reply = shared.service!.receive(bytes, from: from, at: .monotonicNow, punches: &punches)
        let isIPv6 = context.channel.localAddress?.protocol == .inet6
        for punch in punches {
            let address = punch.address.socketAddress(fromIPv6Socket: isIPv6)
            context.write(wrapOutboundOut(AddressedEnvelope(remoteAddress: address, data: context.channel.allocator.buffer(bytes: punch.bytes))), promise: nil)
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
