import Lobby
import MeshTransport
import MeshplayCore

/// Where a node is in its life.
public enum NodePhase: Sendable, Equatable {
    /// In no room, asked to do nothing yet.
    case idle
    /// Looking for a room by name, or waiting for its host's answer.
    case joining(room: String)
    /// In a room, between matches.
    case inRoom
    /// A match is counting down, warming up its links, or running.
    case playing
    /// Left (or gave up): nothing more happens.
    case stopped
}

/// What a node is doing, cheap to build: what a pilot decides on and a client's screens
/// show besides the board (see ``NodeSnapshot``).
public struct NodeStatus: Sendable, Equatable {
    /// Where the node is.
    public var phase: NodePhase
    /// This node.
    public var peerID: PeerID
    /// The room, once the node is in one.
    public var room: RoomStatus?
    /// The match, from its start until the node is back in the room.
    public var match: MatchStatus?
    /// What the last ``NodeCommand/setReady(_:)`` said.
    public var wantsReady: Bool
    /// Matches played to their end here.
    public var matchesPlayed: Int
    /// Why the node gave up, when it did (a failed join, a removal).
    public var failure: String?

    /// A value; see the properties.
    public init(phase: NodePhase, peerID: PeerID, room: RoomStatus?, match: MatchStatus?, wantsReady: Bool, matchesPlayed: Int, failure: String?) {
        self.phase = phase
        self.peerID = peerID
        self.room = room
        self.match = match
        self.wantsReady = wantsReady
        self.matchesPlayed = matchesPlayed
        self.failure = failure
    }
}

/// A room as its members see it.
public struct RoomStatus: Sendable, Equatable {
    /// What it plays and how.
    public var settings: RoomSettings
    /// Members in join order, with the host marked and each one's measured round trip in
    /// ``RoomMember/ping`` (nil for this node itself).
    public var members: [MemberListEntry]
    /// Whether this node hosts the room now.
    public var isHost: Bool

    /// A value; see the properties.
    public init(settings: RoomSettings, members: [MemberListEntry], isHost: Bool) {
        self.settings = settings
        self.members = members
        self.isHost = isHost
    }
}

/// A match as the node playing it sees it (besides the board).
public struct MatchStatus: Sendable, Equatable {
    /// The game and its rules version.
    public var game: GameIdentity
    /// The local seat.
    public var localSlot: PlayerSlot
    /// Everyone, in slot order.
    public var players: [PlayerInfo]
    /// The next tick to simulate.
    public var tick: Tick
    /// Ticks per second.
    public var tickRate: Int
    /// Input delay in ticks (the warm-up's choice until the session adapts it).
    public var inputDelay: Int
    /// Whether the match is running (after the countdown and warm-up).
    public var isRunning: Bool
    /// Whether the game is over here (ended, played out, or halted); it lingers a moment for slower peers.
    public var isOver: Bool
    /// The players the game waits for; empty when not stalled.
    public var waitingFor: [PlayerSlot]
    /// How long the current stall has lasted.
    public var stalledFor: TimeSpan
    /// Slots dropped so far.
    public var dropped: [Int]
    /// Where the match is recorded, if it is.
    public var replayPath: String?

    /// A value; see the properties.
    public init(game: GameIdentity, localSlot: PlayerSlot, players: [PlayerInfo], tick: Tick, tickRate: Int, inputDelay: Int, isRunning: Bool, isOver: Bool, waitingFor: [PlayerSlot], stalledFor: TimeSpan, dropped: [Int], replayPath: String?) {
        self.game = game
        self.localSlot = localSlot
        self.players = players
        self.tick = tick
        self.tickRate = tickRate
        self.inputDelay = inputDelay
        self.isRunning = isRunning
        self.isOver = isOver
        self.waitingFor = waitingFor
        self.stalledFor = stalledFor
        self.dropped = dropped
        self.replayPath = replayPath
    }
}

/// One other player's link, for a status line.
public struct LinkStatus: Sendable, Equatable {
    /// Their seat.
    public var slot: PlayerSlot
    /// Their name.
    public var name: String
    /// Smoothed round trip; nil before one is measured or once the link is gone.
    public var roundTrip: TimeSpan?
    /// Recent loss in whole percent.
    public var lossPercent: Int
    /// How the link runs (nil once it is gone).
    public var path: LinkPath?

    /// A value; see the properties.
    public init(slot: PlayerSlot, name: String, roundTrip: TimeSpan?, lossPercent: Int, path: LinkPath? = nil) {
        self.path = path
        self.slot = slot
        self.name = name
        self.roundTrip = roundTrip
        self.lossPercent = lossPercent
    }
}

/// Everything a client draws from a node at one moment: the status, the board and the links.
public struct NodeSnapshot: Sendable, Equatable {
    /// What the node is doing.
    public var status: NodeStatus
    /// The game's picture while a match is under way.
    public var view: GameView?
    /// Every other player's link during a match, in slot order.
    public var links: [LinkStatus]

    /// A snapshot.
    public init(status: NodeStatus, view: GameView?, links: [LinkStatus]) {
        self.status = status
        self.view = view
        self.links = links
    }
}

extension NodeStatus {
    /// What the room says about itself to people who have not joined it (a LAN announcement's
    /// details, a resolver's listing), for its host to sign (``RoomAdvert/encoded(signedBy:)``);
    /// nil outside a room or when this node does not host it (only the host speaks for the room's id).
    public var advert: RoomAdvert? {
        guard let room, room.isHost else { return nil }
        let settings = room.settings
        return RoomAdvert(
            roomName: settings.name, game: settings.game, map: settings.map, memberCount: room.members.count,
            playerCap: settings.playerCap, locked: settings.hasPassword, isRunning: phase == .playing, host: peerID)
    }
}
