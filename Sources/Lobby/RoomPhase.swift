import MeshplayCore
import MeshTransport

/// Where the local node is in a room's life.
public enum RoomPhase: Sendable, Equatable {
    /// In no room.
    case idle
    /// Waiting for `host` to admit or refuse us.
    case joining(host: PeerID)
    /// In the room before a start.
    case waiting
    /// A start round (the fair-seed exchange) is running.
    case starting(round: UInt32)
    /// The seed is agreed; the game starts at `GameStart.startsAt`.
    case countdown
    /// The game runs: nobody hosts.
    case running

    /// Whether the local node is in a room (any phase but idle and joining).
    public var isInRoom: Bool {
        switch self {
        case .idle, .joining: false
        case .waiting, .starting, .countdown, .running: true
        }
    }

    /// Whether a game is starting or running (joins are refused).
    public var isGameUnderWay: Bool {
        switch self {
        case .starting, .countdown, .running: true
        case .idle, .joining, .waiting: false
        }
    }
}

/// A state version: the host generation (bumped by each new host) then the update count.
struct RoomEpoch: Sendable, Equatable, Comparable {
    var generation: UInt64
    var counter: UInt64

    static let zero = RoomEpoch(generation: 0, counter: 0)

    static func < (lhs: RoomEpoch, rhs: RoomEpoch) -> Bool { (lhs.generation, lhs.counter) < (rhs.generation, rhs.counter) }
}
