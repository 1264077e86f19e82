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

/// Why a local chat line was not sent.
public enum ChatRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// Over the flood limit; wait a moment.
    case flood
    /// Nothing was left after sanitising.
    case empty
    /// Not in a room.
    case notInRoom
    /// A receiver refused the line as a flood (the sender's limit is looser than the room's).
    case refusedBy(PeerID, sequence: UInt64)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .flood: "slow down: too many chat lines"
        case .empty: "nothing to send"
        case .notInRoom: "not in a room"
        case .refusedBy(let peer, let sequence): "line \(sequence) was refused as a flood by \(peer)"
        }
    }
}

/// Why the host's start did not go ahead.
public enum StartRefusal: Sendable, Equatable, CustomStringConvertible {
    /// Only the host starts.
    case notHost
    /// Some members are not ready.
    case notReady([String])
    /// A start is already under way or a game runs.
    case alreadyStarting

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .notHost: "only the host can start the game"
        case .notReady(let names): "not ready: \(names.joined(separator: ", "))"
        case .alreadyStarting: "the game is already starting"
        }
    }
}

/// What the room reports to its user (the client's screens or a bot).
public enum RoomEvent: Sendable, Equatable {
    /// We are in the room (admitted, or created it).
    case joined(RoomSettings)
    /// A join was refused (or got no answer); we are not in a room.
    case refused(RoomRefusal)
    /// The member list (names, readiness, host) changed; members in join order.
    case membersChanged([MemberListEntry])
    /// The host changed (before the start).
    case hostChanged(PeerID)
    /// A chat line (from anyone, ourselves included).
    case chat(ChatLine)
    /// A local chat line was not sent, or was refused by a receiver.
    case chatRefused(ChatRefusal)
    /// The start could not begin.
    case startRefused(StartRefusal)
    /// A start round began among these players (the fair-seed exchange is running).
    case starting(round: UInt32, players: [PeerID])
    /// A start round removed these players (bad or missing reveal/commitment) and will retry.
    case startAborted(round: UInt32, removed: [PeerID], reason: RemovalReason)
    /// Whole seconds until the game starts (sent each second of the countdown, down to 1).
    case countdown(secondsLeft: Int)
    /// The game starts now.
    case gameStarted(GameStart)
    /// The game ended.
    case gameOver(GameResult)
    /// We were removed from the room.
    case removed(RemovalReason)
    /// We left the room.
    case left
    /// A reply to a room query.
    case roomInfo(from: PeerID, summary: RoomSummary?)
}

/// What a room core asks its shell to do.
public enum RoomAction: Sendable, Equatable {
    /// Send these bytes to `peer` on the reliable channel ``RoomCore/channel``.
    case send(to: PeerID, bytes: [UInt8])
    /// Put this (sanitised) chat line on the running game's lockstep command stream.
    case sendGameChat(String)
    /// Report this to the user.
    case event(RoomEvent)
}
