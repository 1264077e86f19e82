import Lobby
import MeshplayCore

/// What one headless bot peer sets out to do: create or join a room, play a number
/// of games in it, and leave. Every bot of a `meshplay bot` process has its own plan.
public struct BotPlan: Sendable {
    /// How the bot gets into a room.
    public enum Role: Sendable {
        /// Create and host a room with these settings; start a game whenever
        /// `playersToStart` members are in it and all of them are ready.
        case create(settings: RoomSettings, playersToStart: Int)
        /// Join the room with this name, found by asking every mesh member.
        case join(room: String)
        /// Take this bot's dropped seat in the running match of the room with this name again
        /// (the bot runs with the keys of the node that held the seat).
        case rejoin(room: String)
        /// Watch the running match of the room with this name, `delay` behind its players.
        case watch(room: String, delay: TimeSpan)
    }

    /// The player name shown in the room.
    public var name: String
    /// How the bot gets into its room.
    public var role: Role
    /// The room password (nil for none).
    public var password: String?
    /// Games to play before leaving.
    public var games: Int
    /// Where replays are written (one file per game, nil for none).
    public var recordDirectory: String?
    /// Whether the bot chats (a line every few seconds, in the room and in game).
    public var chats: Bool
    /// The bot brain's difficulty.
    public var skill: BotSkill
    /// Seeds the bot's brain and chat choices.
    public var seed: UInt64
    /// A joiner that is not in its room this long after starting gives up.
    public var joinTimeout: TimeSpan
    /// After its game ends a bot keeps resending its inputs this long, so slower peers finish too.
    public var linger: TimeSpan

    /// A plan; see the properties for the meaning of each value.
    public init(
        name: String, role: Role, password: String? = nil, games: Int = 1, recordDirectory: String? = nil,
        chats: Bool = false, skill: BotSkill = .normal, seed: UInt64 = 1,
        joinTimeout: TimeSpan = .seconds(30), linger: TimeSpan = .seconds(3)
    ) {
        self.name = name
        self.role = role
        self.password = password
        self.games = max(1, games)
        self.recordDirectory = recordDirectory
        self.chats = chats
        self.skill = skill
        self.seed = seed
        self.joinTimeout = joinTimeout
        self.linger = linger
    }

    /// The room's name, whichever the role.
    public var roomName: String {
        switch role {
        case .create(let settings, _): settings.name
        case .join(let room), .rejoin(let room), .watch(let room, _): room
        }
    }
}
