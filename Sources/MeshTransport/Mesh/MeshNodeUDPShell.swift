import MeshplayCore
import NIOCore
import NIOPosix

/// A ``MeshNode`` over real UDP: a ``MeshUDPNode`` (the link shell) with the mesh
/// node riding on its event loop.
///
/// Link events reach the mesh node on the loop as they happen; a repeating timer ticks
/// it; links it asks for are opened through the ``MeshUDPNode``. Mesh events go to the
/// ``events`` stream, which buffers until read (the last 4096 are kept).
public final class MeshNodeUDPShell: Sendable {
    /// The link shell underneath.
    public let udp: MeshUDPNode
    /// Members joining, leaving, lost, and messages.
    public let events: AsyncStream<MeshEvent>
    private let mesh: NIOLoopBoundBox<MeshNode<UDPAddress>?>
    private let ticker: RepeatedTask

    /// This node's peer id.
    public var peerID: PeerID { udp.peerID }
    /// The bound local address.
    public var localAddress: SocketAddress { udp.localAddress }

    private init(udp: MeshUDPNode, events: AsyncStream<MeshEvent>, mesh: NIOLoopBoundBox<MeshNode<UDPAddress>?>, ticker: RepeatedTask) {
        self.udp = udp
        self.events = events
        self.mesh = mesh
        self.ticker = ticker
    }

    /// Binds a node to `host:port` (0 picks a port) on one loop of `group`.
    public static func bind(
        host: String, port: Int, identity: NodeIdentity, credentials: MeshCredentials,
        link: LinkConfiguration = LinkConfiguration(), configuration: MeshConfiguration = MeshConfiguration(),
        tickInterval: TimeAmount = .milliseconds(20), group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> MeshNodeUDPShell {
        let loop = group.next()
        let mesh = NIOLoopBoundBox.makeEmptyBox(valueType: MeshNode<UDPAddress>.self, eventLoop: loop)
        let linkShell = NIOLoopBoundBox.makeEmptyBox(valueType: MeshUDPNode.self, eventLoop: loop)
        let (events, continuation) = AsyncStream<MeshEvent>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        let udp = try await MeshUDPNode.bind(
            host: host, port: port, identity: identity, credentials: credentials, configuration: link, group: loop
        ) { event, endpoint in
            // A peer may link in before the setup below runs on the loop: start the node here then.
            var node = mesh.value ?? MeshNode(identity: identity, configuration: configuration)
            var output = MeshOutput<UDPAddress>()
            node.handle(event, endpoint: &endpoint, at: Timestamp.monotonicNow, into: &output)
            mesh.value = node
            Self.carryOut(output, linkShell: linkShell.value, continuation: continuation)
        }
        let ticker = try await loop.submit {
            if mesh.value == nil { mesh.value = MeshNode(identity: identity, configuration: configuration) }
            linkShell.value = udp
            return loop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { _ in
                udp.withEndpoint { endpoint in
                    guard var node = mesh.value else { return }
                    var output = MeshOutput<UDPAddress>()
                    node.tick(endpoint: &endpoint, at: Timestamp.monotonicNow, into: &output)
                    mesh.value = node
                    Self.carryOut(output, linkShell: udp, continuation: continuation)
                }
            }
        }.get()
        return MeshNodeUDPShell(udp: udp, events: events, mesh: mesh, ticker: ticker)
    }

    /// Joins the mesh through these addresses (a resolver's answer).
    public func join(via addresses: [SocketAddress]) {
        for address in addresses where address != localAddress { udp.connect(to: address) }
    }

    /// Sends to a member, direct or relayed; see ``MeshNode/send(_:channel:to:reliable:endpoint:)``.
    public func send(_ bytes: [UInt8], channel: UInt8, to peer: PeerID, reliable: Bool) async throws -> MeshSendResult {
        let mesh = self.mesh
        return try await udp.withEndpoint { endpoint -> MeshSendResult in
            guard var node = mesh.value else { return .unknownMember }
            let result = node.send(bytes, channel: channel, to: peer, reliable: reliable, endpoint: &endpoint)
            mesh.value = node
            return result
        }.get()
    }

    /// The alive members, self included, sorted.
    public func members() async throws -> [PeerID] {
        let mesh = self.mesh
        return try await udp.eventLoop.submit { mesh.value?.members ?? [] }.get()
    }

    /// Stops the timer and closes the socket.
    public func close() async throws {
        ticker.cancel()
        try await udp.close()
    }


    private static func carryOut(_ output: MeshOutput<UDPAddress>, linkShell: MeshUDPNode?, continuation: AsyncStream<MeshEvent>.Continuation) {
        for address in output.connects { linkShell?.connect(to: address.socketAddress) }
        for peer in output.disconnects { linkShell?.disconnect(peer) }
        for event in output.events { continuation.yield(event) }
    }
}
