import MeshplayCore
import MeshTransport

/// Chat in the lobby, outside any room: every peer on the lobby mesh hears every
/// line once, in per-sender order, under the same sanitising and flood limit as
/// room chat. A sans-I/O value; messages travel on the reliable channel ``channel``
/// in the room protocol's chat format.
public struct LobbyChat: Sendable {
    /// The reliable link channel lobby chat travels on.
    public static let channel: UInt8 = 0x4D

    /// This node.
    public let localPeer: PeerID
    var chatCore: ChatCore

    /// Lobby chat for `localPeer` with `limit` on our own lines.
    public init(localPeer: PeerID, limit: FloodLimit = FloodLimit()) {
        self.localPeer = localPeer
        self.chatCore = ChatCore(limit: limit)
    }

    /// Says `text` to `peers` (the lobby mesh's nodes; sorted by the caller for determinism).
    /// The local echo is the first event.
    public mutating func say(_ text: String, to peers: [PeerID], name: String, at now: Timestamp) -> [RoomAction] {
        switch chatCore.prepare(text, at: now) {
        case .failure(let refusal):
            return [.event(.chatRefused(refusal))]
        case .success(let line):
            let bytes = RoomMessage.chat(sequence: line.sequence, text: line.text).bytes
            var actions: [RoomAction] = [.event(.chat(ChatLine(
                sender: localPeer, senderName: PlayerName.clean(name), sequence: line.sequence, text: line.text, receivedAt: now)))]
            for peer in peers where peer != localPeer { actions.append(.send(to: peer, bytes: bytes)) }
            return actions
        }
    }

    /// Handles a message from `peer` on ``channel``; `name` is how the lobby knows the sender.
    public mutating func receive(_ bytes: [UInt8], from peer: PeerID, name: String, at now: Timestamp) -> [RoomAction] {
        guard let message = try? RoomMessage(decoding: bytes) else { return [] }
        switch message {
        case .chat(let sequence, let text):
            switch chatCore.accept(sequence: sequence, text: text, from: peer, at: now) {
            case .deliver(let clean):
                return [.event(.chat(ChatLine(
                    sender: peer, senderName: PlayerName.clean(name), sequence: sequence, text: clean, receivedAt: now)))]
            case .duplicate:
                return []
            case .flood:
                return [.send(to: peer, bytes: RoomMessage.chatRefused(sequence: sequence).bytes)]
            }
        case .chatRefused(let sequence):
            return [.event(.chatRefused(.refusedBy(peer, sequence: sequence)))]
        default:
            return []
        }
    }

    /// Forgets a peer that left the lobby.
    public mutating func forget(_ peer: PeerID) { chatCore.forget(peer) }
}
