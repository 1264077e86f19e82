import MeshplayCore
import MeshTransport

/// What the room reports to its user (the client's screens or a bot).
public enum RoomEvent: Sendable, Equatable {
    /// We are in the room (admitted, or created it).
    case joined(RoomSettings)
    /// A join was refused (or got no answer); we are not in a room.
    case refused(RoomRefusal)
    /// The member list (names, readiness, host) changed; members in join order.
    case membersChanged([MemberListEntry])
    /// Another player came into the room (its name as the host made it unique).
    case memberJoined(name: String)
    /// A member went: `lost` when its link was lost, rather than it saying goodbye.
    case memberLeft(name: String, lost: Bool)
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
    /// A reply to a room query, signed by `from` for us (unsigned or forged replies never get here).
    case roomInfo(from: PeerID, summary: RoomSummary?)
}
