import MeshplayCore
import MeshTransport

extension RoomCore {
    mutating func handleChat(sequence: UInt64, text: String, from peer: PeerID, at now: Timestamp) {
        guard phase != .idle else { return }
        guard memberIndex(peer) != nil else {
            // Its admission may not have reached us yet: hold the line a while (bounded).
            if earlyChats.count >= limits.maxEarlyChats { earlyChats.removeFirst() }
            earlyChats.append(EarlyChat(peer: peer, sequence: sequence, text: text, expires: now + limits.earlyChatLifetime))
            return
        }
        deliverChat(sequence: sequence, text: text, from: peer, at: now)
    }

    mutating func deliverChat(sequence: UInt64, text: String, from peer: PeerID, at now: Timestamp) {
        guard let index = memberIndex(peer) else { return }
        switch chatCore.accept(sequence: sequence, text: text, from: peer, at: now) {
        case .deliver(let clean):
            emit(.chat(ChatLine(sender: peer, senderName: members[index].name, sequence: sequence, text: clean, receivedAt: now)))
        case .duplicate:
            break
        case .flood:
            send(.chatRefused(sequence: sequence), to: peer)
        }
    }

    /// Delivers held lines of `peer`, now a member, in their order.
    mutating func flushEarlyChats(from peer: PeerID, at now: Timestamp) {
        guard memberIndex(peer) != nil else { return }
        let held = earlyChats.filter { $0.peer == peer }
        earlyChats.removeAll { $0.peer == peer }
        for line in held { deliverChat(sequence: line.sequence, text: line.text, from: peer, at: now) }
    }

    /// Delivers held lines of every peer that is now a member, in arrival order.
    mutating func flushAllEarlyChats(at now: Timestamp) {
        let known = members.map(\.peer)
        let ready = earlyChats.filter { known.contains($0.peer) }
        earlyChats.removeAll { known.contains($0.peer) }
        for line in ready { deliverChat(sequence: line.sequence, text: line.text, from: line.peer, at: now) }
    }
}
