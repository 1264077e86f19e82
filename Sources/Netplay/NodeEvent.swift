import Lobby
import Lockstep
import MeshplayCore

/// What a node reports to whoever runs it (a client's screens, a bot's runner), in order.
/// Names and chat text are as the room sanitised them; a terminal shows them through
/// `ChatText.forDisplay` all the same.
public enum NodeEvent: Sendable, Equatable {
    /// In a room now: created it, or was admitted.
    case joinedRoom(RoomSettings)
    /// Could not get into a room; the node is in none.
    case joinFailed(JoinFailure)
    /// Removed from the room (the node is in none).
    case removed(RemovalReason)
    /// A chat line, in the room or in the match, the node's own lines included.
    case chat(NodeChatLine)
    /// A line for the player ("Starting in 3...", "The start was called off: ...").
    case notice(String)
    /// A match began here: this node's seat and every player, in slot order.
    case matchStarted(slot: PlayerSlot, players: [PlayerInfo], game: GameIdentity)
    /// A player was dropped from the running match (the game goes on without them).
    case playerDropped(slot: PlayerSlot, name: String)
    /// Watching began: the feed's history is readable and its game set up.
    case watchStarted(players: [PlayerInfo], game: GameIdentity)
    /// Watching ended: the match ended or the watcher stopped (`problem` nil), or the feed
    /// failed and why. `tick` and `checksum` are where the watched game stands; `replayPath`
    /// is its recording, if any.
    case watchEnded(problem: String?, tick: Tick, checksum: StateChecksum?, replayPath: String?)
    /// This node took its seat again in the running match, playing from `atTick`.
    case rejoined(slot: PlayerSlot, atTick: Tick)
    /// A dropped player took its seat again (it rejoined the running match).
    case playerRejoined(slot: PlayerSlot, name: String)
    /// The match is over here and its recording closed; the node is back in the room.
    case matchEnded(MatchReport)
    /// A match started in the room but could not be set up here (an unknown game, a bad
    /// configuration): the others play on without this node.
    case matchFailed(String)
    /// The node left its room and the mesh; nothing more follows.
    case stopped
}

/// Why a join did not get the node into a room.
public enum JoinFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The room turned the join away (wrong password, full, running, versions).
    case refused(room: String, reason: RoomRefusal)
    /// No member of the mesh was in a room with that name in time.
    case roomNotFound(room: String, seconds: Int, lookedAt: [String])
    /// Two or more open rooms answered to the name alone: which one is the person's choice
    /// (`NAME#ID`). `ids` are theirs, sorted.
    case ambiguous(room: String, ids: [RoomID])

    public var description: String {
        switch self {
        case .refused(let room, let reason): "could not join room \(room): \(reason)"
        case .roomNotFound(let room, let seconds, let places):
            "room \(room) not found within \(seconds) s" + (places.isEmpty ? "" : " (asked \(places.joined(separator: ", ")))")
        case .ambiguous(let room, let ids):
            "\(ids.count) rooms are called \(room) (\(ids.map { "\(room)#\($0)" }.joined(separator: ", "))): "
                + "pick one with --room \(room)#ID, e.g. --room \(room)#\(ids.first.map(\.text) ?? "ID")"
        }
    }
}

/// One chat line as a node shows it.
public struct NodeChatLine: Sendable, Equatable {
    /// Who said it, as the room or the match names them.
    public var name: String
    /// The sanitised text.
    public var text: String
    /// The sender's seat when said in a match; nil in the room.
    public var slot: PlayerSlot?
    /// Whether this node's player said it.
    public var isOwn: Bool

    /// A line.
    public init(name: String, text: String, slot: PlayerSlot?, isOwn: Bool) {
        self.name = name
        self.text = text
        self.slot = slot
        self.isOwn = isOwn
    }
}

/// How one match went at one node: what a results screen and a bot's summary need.
public struct MatchReport: Sendable, Equatable {
    /// The room it was played in.
    public var room: String
    /// This node's seat.
    public var slot: PlayerSlot
    /// Everyone, in slot order.
    public var players: [PlayerInfo]
    /// The game's result: its own when it ended by its rules, else placings by score at the last tick.
    public var outcome: GameOutcome
    /// Whether the game reached its own end (or its tick limit) rather than stopping early.
    public var completed: Bool
    /// Ticks simulated here.
    public var ticks: Int
    /// The state checksum at the end, here.
    public var finalChecksum: StateChecksum
    /// Frames that froze waiting for input, and frames in all.
    public var stallTicks: Int
    public var frames: Int
    /// Slots dropped by agreement, in the order they were dropped.
    public var droppedPlayers: [Int]
    /// Desync events seen here.
    public var desyncs: Int
    /// Where the match was recorded, if it was.
    public var replayPath: String?
    /// What went wrong; empty when the match finished well.
    public var failures: [String]

    /// Stalled frames per 10,000 frames.
    public var stallBasisPoints: Int { frames == 0 ? 0 : stallTicks * 10_000 / frames }

    /// A report; see the properties.
    public init(
        room: String, slot: PlayerSlot, players: [PlayerInfo], outcome: GameOutcome, completed: Bool, ticks: Int,
        finalChecksum: StateChecksum, stallTicks: Int, frames: Int, droppedPlayers: [Int], desyncs: Int, replayPath: String?,
        failures: [String]
    ) {
        self.room = room
        self.slot = slot
        self.players = players
        self.outcome = outcome
        self.completed = completed
        self.ticks = ticks
        self.finalChecksum = finalChecksum
        self.stallTicks = stallTicks
        self.frames = frames
        self.droppedPlayers = droppedPlayers
        self.desyncs = desyncs
        self.replayPath = replayPath
        self.failures = failures
    }
}
