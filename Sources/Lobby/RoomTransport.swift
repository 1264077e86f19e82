import MeshTransport

/// Where a ``LobbyClient`` sends room bytes: the reliable channel of a link.
public protocol RoomTransport: Sendable {
    /// Queues `bytes` for `peer` on reliable channel `channel`, without waiting:
    /// successive calls must reach the link in call order (the room relies on
    /// per-link order). Failures (no link, a full queue) are not reported: the room
    /// protocol treats the peer as silent, and a lost link arrives as ``LobbyClient/linkLost(_:)``.
    func sendReliable(_ bytes: [UInt8], channel: UInt8, to peer: PeerID)
}

/// A ``RoomTransport`` over a real UDP mesh node.
public struct UDPRoomTransport: RoomTransport {
    /// The node whose links carry the room.
    public let node: MeshUDPNode

    /// A transport over `node`.
    public init(node: MeshUDPNode) { self.node = node }

    /// Submits the send to the node's event loop, which runs submissions in order.
    public func sendReliable(_ bytes: [UInt8], channel: UInt8, to peer: PeerID) {
        node.withEndpoint { endpoint in _ = endpoint.sendReliable(bytes, channel: channel, to: peer) }
    }
}
