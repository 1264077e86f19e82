import MeshplayCore
import MeshTransport

/// One attempt at starting a game: the fair-seed exchange among a fixed list of
/// participants in slot order.
struct StartRound: Sendable {
    enum Stage: Sendable, Equatable {
        /// Collecting commitments (host) / waiting for the agreed set (member).
        case committing
        /// Collecting reveals (host) / waiting for the go (member).
        case revealing
    }

    var number: UInt32
    /// Participants in slot order.
    var participants: [PeerID]
    var stage: Stage = .committing
    /// Our secret and commitment.
    var secret: [UInt8]
    var commitment: [UInt8]
    /// Commitments by slot (host: as they arrive; member: the agreed set).
    var commitments: [[UInt8]?]
    /// Reveals by slot (host only).
    var secrets: [[UInt8]?]
    /// When the current stage times out (host only).
    var deadline: Timestamp

    init(number: UInt32, participants: [PeerID], secret: [UInt8], commitment: [UInt8], deadline: Timestamp) {
        self.number = number
        self.participants = participants
        self.secret = secret
        self.commitment = commitment
        self.commitments = Array(repeating: nil, count: participants.count)
        self.secrets = Array(repeating: nil, count: participants.count)
        self.deadline = deadline
    }

    func slot(of peer: PeerID) -> Int? { participants.firstIndex(of: peer) }

    /// Participants whose contribution for the current stage is missing, in slot order.
    var missing: [PeerID] {
        participants.indices.filter { stage == .committing ? commitments[$0] == nil : secrets[$0] == nil }.map { participants[$0] }
    }
}
