import MeshplayCore
import MeshTransport

/// A seated player: the game's view plus the node that plays it.
public struct SeatedPlayer: Sendable, Equatable {
    /// Slot and name, as the game sees them.
    public var info: PlayerInfo
    /// The node playing this slot.
    public var peer: PeerID

    /// A seated player.
    public init(info: PlayerInfo, peer: PeerID) {
        self.info = info
        self.peer = peer
    }
}

/// Everything a game needs to start, identical on every participant: what the
/// room hands to the lockstep driver.
public struct GameStart: Sendable, Equatable {
    /// The room it started in.
    public var roomName: String
    /// The game and rules version.
    public var game: GameIdentity
    /// The game's canonical configuration bytes.
    public var configBytes: [UInt8]
    /// The map's name.
    public var map: String
    /// The fair 64-bit seed (see ``SeedCommitment``).
    public var seed: UInt64
    /// The full 32-byte seed digest (for replay headers and audit).
    public var seedDigest: [UInt8]
    /// Every player in slot order (slots `0 ..< players.count`).
    public var players: [SeatedPlayer]
    /// The local node's slot.
    public var localSlot: PlayerSlot
    /// Simulation ticks per second.
    public var tickRate: Int
    /// Match length in ticks (0: the game decides).
    public var matchLengthTicks: UInt32
    /// The first tick every peer simulates.
    public var firstTick: Tick
    /// The local instant the game begins (after the countdown); local, so not part of equality across peers.
    public var startsAt: Timestamp
    /// The start round that produced the seed.
    public var round: UInt32

    /// The players as the game's rules take them.
    public var playerInfos: [PlayerInfo] { players.map(\.info) }

    /// A start; a room's fair-seed round makes these, a simulation that seats everyone itself too.
    public init(
        roomName: String, game: GameIdentity, configBytes: [UInt8], map: String, seed: UInt64, seedDigest: [UInt8],
        players: [SeatedPlayer], localSlot: PlayerSlot, tickRate: Int, matchLengthTicks: UInt32, firstTick: Tick,
        startsAt: Timestamp, round: UInt32
    ) {
        self.roomName = roomName
        self.game = game
        self.configBytes = configBytes
        self.map = map
        self.seed = seed
        self.seedDigest = seedDigest
        self.players = players
        self.localSlot = localSlot
        self.tickRate = tickRate
        self.matchLengthTicks = matchLengthTicks
        self.firstTick = firstTick
        self.startsAt = startsAt
        self.round = round
    }

    /// Whether two participants agree on everything shared (all but the local slot and instant).
    public func agrees(with other: GameStart) -> Bool {
        roomName == other.roomName && game == other.game && configBytes == other.configBytes && map == other.map
            && seed == other.seed && seedDigest == other.seedDigest && players == other.players
            && tickRate == other.tickRate && matchLengthTicks == other.matchLengthTicks
            && firstTick == other.firstTick && round == other.round
    }
}

/// How a game ended, for the room and its members.
public struct GameResult: Sendable, Equatable {
    /// Placings and scores, when the game produced an outcome.
    public var outcome: GameOutcome?
    /// Where the replay was written, if it was.
    public var replayPath: String?

    /// A result.
    public init(outcome: GameOutcome?, replayPath: String?) {
        self.outcome = outcome
        self.replayPath = replayPath
    }
}
