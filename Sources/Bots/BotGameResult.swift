import Lobby
import MeshplayCore
import Netplay

/// Why a bot stopped before playing its games.
public enum BotFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The room turned the join away (wrong password, full, running, versions), or was not found.
    case couldNotJoin(JoinFailure)
    /// The bot was removed from its room.
    case removed(room: String, reason: RemovalReason)
    /// A match could not be set up.
    case gameSetup(String)
    /// The bot stopped (its node was closed) before its games were played.
    case stoppedEarly(gamesPlayed: Int, of: Int)
    /// Taking its seat again failed: no player fed the match, or the feed did not hold.
    case couldNotRejoin(String)

    /// Whether the failure is about getting into the room (exit status 2) rather than playing (1).
    public var isJoinFailure: Bool {
        switch self {
        case .couldNotJoin, .couldNotRejoin: true
        default: false
        }
    }

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .couldNotJoin(let failure): failure.description
        case .removed(let room, let reason): "removed from room \(room): \(reason)"
        case .gameSetup(let message): message
        case .stoppedEarly(let played, let games): "stopped after \(played) of \(games) games"
        case .couldNotRejoin(let reason): "could not take the seat again: \(reason)"
        }
    }
}

/// Where a bot is in its life.
public enum BotStatus: Sendable, Equatable {
    case running
    /// Every game played and the room left.
    case done
    /// Gave up.
    case failed(BotFailure)
}

/// Where a watched match stood when watching ended.
public struct WatchedMatch: Sendable, Equatable {
    public var tick: Tick
    public var checksum: StateChecksum?
    public var replayPath: String?
}

/// How a bot ended, folded from its node's events: its status and one report per match.
public struct BotReport: Sendable {
    /// The bot's player name.
    public var name: String
    /// The plan's number of games.
    public var games: Int
    /// Running, done, or why it gave up.
    public private(set) var status = BotStatus.running
    /// One report per match played, in order.
    public private(set) var results: [MatchReport] = []
    /// Chat lines heard from others (room and game).
    public private(set) var chatLinesHeard = 0
    /// The match watched to its end (a watching bot).
    public private(set) var watched: WatchedMatch?

    /// An empty report for the bot of `plan`.
    public init(plan: BotPlan) {
        name = plan.name
        games = plan.games
    }

    /// Takes the node's events, in order.
    public mutating func record(_ events: [NodeEvent], room: String) {
        for event in events {
            switch event {
            case .joinFailed(let failure): fail(.couldNotJoin(failure))
            case .removed(let reason): fail(.removed(room: room, reason: reason))
            case .matchFailed(let message): fail(.gameSetup(message))
            case .matchEnded(let report): results.append(report)
            case .chat(let line): if !line.isOwn { chatLinesHeard += 1 }
            case .stopped:
                settle()
            case .watchEnded(let problem?, _, _, _): fail(.couldNotRejoin(problem))
            case .watchEnded(nil, let tick, let checksum, let replay): watched = WatchedMatch(tick: tick, checksum: checksum, replayPath: replay)
            case .joinedRoom, .notice, .matchStarted, .playerDropped, .playerRejoined, .watchStarted, .watchEnded, .rejoined:
                break
            }
        }
    }

    /// The bot's node is gone without saying it stopped (the process closes it).
    public mutating func closed() {
        settle()
    }

    /// Done when its games are played or the match it watched was watched to its end.
    private mutating func settle() {
        guard status == .running else { return }
        status = results.count >= games || watched != nil ? .done : .failed(.stoppedEarly(gamesPlayed: results.count, of: games))
    }

    private mutating func fail(_ failure: BotFailure) {
        if status == .running { status = .failed(failure) }
    }
}
