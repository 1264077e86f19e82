import MeshplayCore
import MeshTransport

/// The chat rules shared by lobby and room chat, as a sans-I/O value: per-sender
/// line numbers for exactly-once, in-order delivery, the flood limit for our own
/// lines and a looser one for each sender we hear, and sanitising.
///
/// Links already deliver each peer's messages once and in order; the line numbers
/// keep that true across a link that was lost and re-established.
public struct ChatCore: Sendable {
    /// Our own flood limit; senders we hear get a looser one (``FloodLimit/forReceivers``).
    public var limit: FloodLimit
    /// The most senders remembered (the oldest is forgotten first).
    public static let maxSenders = 64

    struct SenderRecord: Sendable {
        var peer: PeerID
        var lastSequence: UInt64
        var bucket: FloodBucket
    }

    var ownSequence: UInt64 = 0
    var ownBucket = FloodBucket()
    var senders: [SenderRecord] = []

    /// A chat core with `limit` for our own lines.
    public init(limit: FloodLimit = FloodLimit()) { self.limit = limit }

    /// What happened to a received line.
    public enum Acceptance: Sendable, Equatable {
        /// Show this (sanitised) text.
        case deliver(String)
        /// Seen before (or older than the newest seen): drop silently.
        case duplicate
        /// Over the sender's flood limit: drop and tell the sender.
        case flood
    }

    /// Prepares a local line: sanitised, numbered and counted against the flood limit.
    public mutating func prepare(_ text: String, at now: Timestamp) -> Result<(sequence: UInt64, text: String), ChatRefusal> {
        let clean = ChatText.sanitize(text)
        guard !clean.isEmpty else { return .failure(.empty) }
        guard ownBucket.take(at: now, limit: limit) else { return .failure(.flood) }
        ownSequence += 1
        return .success((ownSequence, clean))
    }

    /// Judges a line `sequence` from `peer`.
    public mutating func accept(sequence: UInt64, text: String, from peer: PeerID, at now: Timestamp) -> Acceptance {
        let index: Int
        if let found = senders.firstIndex(where: { $0.peer == peer }) {
            index = found
        } else {
            if senders.count >= Self.maxSenders { senders.removeFirst() }
            senders.append(SenderRecord(peer: peer, lastSequence: 0, bucket: FloodBucket()))
            index = senders.count - 1
        }
        guard sequence > senders[index].lastSequence else { return .duplicate }
        guard senders[index].bucket.take(at: now, limit: limit.forReceivers) else {
            senders[index].lastSequence = sequence
            return .flood
        }
        senders[index].lastSequence = sequence
        let clean = ChatText.sanitize(text)
        return clean.isEmpty ? .duplicate : .deliver(clean)
    }

    /// Forgets a sender (it left: a later return numbers its lines from 1 again).
    public mutating func forget(_ peer: PeerID) { senders.removeAll { $0.peer == peer } }

    /// Starts over (a new room): our numbering restarts and every sender is forgotten.
    public mutating func reset() {
        ownSequence = 0
        senders = []
    }
}
