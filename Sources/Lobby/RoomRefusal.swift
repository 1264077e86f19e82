import MeshplayCore
import MeshTransport

/// Why a room turned a join (or a member) away. Each reaches the refused node
/// as its own reason with a sentence a client can show.
public enum RoomRefusal: Sendable, Equatable, CustomStringConvertible {
    /// The password proof did not match.
    case wrongPassword(room: String)
    /// The room has as many members as its cap.
    case roomFull(room: String, cap: Int)
    /// A game is starting or running in the room.
    case gameRunning(room: String)
    /// The joiner's engine compatibility number differs from the host's.
    case engineVersionMismatch(room: String, host: UInt16, joiner: UInt16)
    /// The joiner does not have the room's game at the room's rules version.
    case gameVersionMismatch(room: String, game: GameIdentity)
    /// The node asked is not the room's host; `host` is, when known.
    case notHost(host: PeerID?)
    /// The host has too many joins in progress; try again shortly.
    case busy(room: String)
    /// No answer from the host in time.
    case noAnswer
    /// The node asked hosts no room.
    case noRoom

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .wrongPassword(let room): "wrong password for room \(room)"
        case .roomFull(let room, let cap): "room \(room) is full (\(cap) players)"
        case .gameRunning(let room): "a game is already running in room \(room)"
        case .engineVersionMismatch(let room, let host, let joiner):
            "room \(room) runs engine version \(host), this client has \(joiner)"
        case .gameVersionMismatch(let room, let game): "room \(room) plays \(game), which this client does not have"
        case .notHost(let host): host.map { "that node does not host the room; the host is \($0)" } ?? "that node does not host a room"
        case .busy(let room): "room \(room) is busy admitting others; try again"
        case .noAnswer: "the room's host did not answer"
        case .noRoom: "that node hosts no room"
        }
    }
}
