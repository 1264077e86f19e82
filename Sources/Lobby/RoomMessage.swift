import MeshplayCore
import MeshTransport

/// What a joiner sends to prove it may enter: versions, name and password proof.
struct JoinRequest: Sendable, Equatable {
    static let maxGames = 16
    var engineVersion: UInt16
    var games: [GameIdentity]
    var name: String
    var proof: [UInt8]
}

/// The host's authoritative picture of a room, sent to every member on each change.
struct RoomStateMessage: Sendable, Equatable {
    var epoch: RoomEpoch
    var host: PeerID
    var phase: WirePhase
    var nextJoinOrder: UInt32
    var settings: RoomSettings
    var members: [RoomMember]

    enum WirePhase: UInt8, Sendable {
        case waiting = 0
        case starting = 1
        case running = 2
    }
}

/// Every room protocol message (see RoomProtocol.md for the byte layout).
enum RoomMessage: Sendable, Equatable {
    case query
    case info(RoomSummary?)
    case hello
    case challenge(nonce: [UInt8])
    case join(JoinRequest)
    case refused(RoomRefusal)
    case state(RoomStateMessage)
    case setReady(Bool)
    case leave
    case chat(sequence: UInt64, text: String)
    case chatRefused(sequence: UInt64)
    case startRound(round: UInt32, participants: [PeerID])
    case commit(round: UInt32, digest: [UInt8])
    case commitSet(round: UInt32, digests: [[UInt8]])
    case reveal(round: UInt32, secret: [UInt8])
    case go(round: UInt32, secrets: [[UInt8]], countdownMilliseconds: UInt32)
    case startAborted(round: UInt32, removed: [PeerID], reason: RemovalReason)

    /// The protocol version byte every message starts with.
    static let version: UInt8 = 1
    /// The largest encoded message accepted.
    static let maxBytes = 8192
    static let maxNameBytes = 64
    static let maxMembers = PlayerSlot.capacity
}
