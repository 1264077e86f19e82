import Lockstep
import MeshplayCore

/// What one bot saw of one game it played.
public struct BotGameResult: Sendable {
    /// The room the game was played in.
    public var room: String
    /// The bot's seat.
    public var slot: Int
    /// Ticks simulated here.
    public var ticks: Int
    /// The state checksum at the end, here.
    public var finalChecksum: StateChecksum
    /// Frames that froze waiting for input, and frames in all.
    public var stallTicks: Int
    public var frames: Int
    /// Slots dropped by agreement.
    public var droppedPlayers: [Int]
    /// Desync events seen here.
    public var desyncs: Int
    /// The replay written, if any.
    public var replayPath: String?
    /// What went wrong; empty when the game finished well.
    public var failures: [String]

    /// Stalled frames per 10,000 frames.
    public var stallBasisPoints: Int { frames == 0 ? 0 : stallTicks * 10_000 / frames }
}

/// Why a bot stopped before playing its games.
public enum BotFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The room turned the join away (wrong password, full, running, versions).
    case refused(room: String, reason: String)
    /// No room with that name was found in time.
    case roomNotFound(room: String, seconds: Int)
    /// The bot was removed from its room.
    case removed(room: String, reason: String)
    /// The game could not be set up.
    case gameSetup(String)

    /// Whether the failure is about getting into the room (exit status 2) rather than playing (1).
    public var isJoinFailure: Bool {
        switch self {
        case .refused, .roomNotFound: true
        case .removed, .gameSetup: false
        }
    }

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .refused(let room, let reason): "could not join room \(room): \(reason)"
        case .roomNotFound(let room, let seconds): "room \(room) not found within \(seconds) s"
        case .removed(let room, let reason): "removed from room \(room): \(reason)"
        case .gameSetup(let message): "could not set up the game: \(message)"
        }
    }
}
