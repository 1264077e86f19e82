@preconcurrency import Crypto
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

/// A room answer signed by the node that answers, for the node that asked (RoomProtocol.md,
/// "Room identity"): Ed25519 over ``domain`` ‖ asker peer id (16) ‖ the unsigned `info` message's bytes.
/// Valid only from the peer whose key it carries, to the asker it names, so an answer relayed,
/// replayed to someone else, or changed on the way does not pass.
struct SignedRoomInfo: Sendable, Equatable {
    static let domain = Array("meshplay-room-info-v2".utf8)
    static let keyBytes = 32
    static let signatureBytes = 64

    var summary: RoomSummary?
    var publicKey: [UInt8]
    var signature: [UInt8]

    init(summary: RoomSummary?, publicKey: [UInt8], signature: [UInt8]) {
        self.summary = summary
        self.publicKey = publicKey
        self.signature = signature
    }

    /// `identity`'s answer `summary` for `asker`.
    init(summary: RoomSummary?, for asker: PeerID, signedBy identity: NodeIdentity) {
        self.init(summary: summary, publicKey: Array(identity.publicKey.rawRepresentation),
                  signature: identity.sign(Self.signedBytes(summary, asker: asker)))
    }

    static func signedBytes(_ summary: RoomSummary?, asker: PeerID) -> [UInt8] {
        domain + asker.bytes + RoomMessage.info(summary).bytes
    }

    /// Whether this is `answerer`'s signed answer to `asker`: the key is `answerer`'s (its peer id
    /// is the one the link's handshake authenticated) and the signature verifies.
    func isValid(answerer: PeerID, asker: PeerID) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey), PeerID(publicKey: key) == answerer else {
            return false
        }
        return NodeIdentity.isValidSignature(signature, for: Self.signedBytes(summary, asker: asker), publicKey: key)
    }
}

/// Every room protocol message (see RoomProtocol.md for the byte layout).
enum RoomMessage: Sendable, Equatable {
    case query
    case info(RoomSummary?)
    case signedInfo(SignedRoomInfo)
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
