import MeshplayCore
import MeshTransport

/// A chat line as every member shows it.
public struct ChatLine: Sendable, Equatable {
    /// Who said it.
    public var sender: PeerID
    /// The sender's room name when it was received (or its slot's name in game).
    public var senderName: String
    /// The sender's line number (1, 2, …): per-sender order.
    public var sequence: UInt64
    /// The sanitised text.
    public var text: String
    /// The local instant it was delivered.
    public var receivedAt: Timestamp
}
