import MeshTransport
import MeshplayCore
import Netplay

/// What a `NetworkedMatch` plays and under which network faults.
public struct NetworkedMatchOptions: Sendable {
    /// A cut between two groups of seats during game ticks `startTick ..< endTick`
    /// (virtual time: start + tick × period).
    public struct Partition: Sendable, Equatable {
        public var groupA: [Int]
        public var groupB: [Int]
        public var startTick: Int
        public var endTick: Int

        public init(groupA: [Int], groupB: [Int], startTick: Int, endTick: Int) {
            self.groupA = groupA
            self.groupB = groupB
            self.startTick = startTick
            self.endTick = endTick
        }
    }

    /// A peer that stops dead (no more sending, receiving or simulating) at a tick's due time.
    public struct Crash: Sendable, Equatable {
        public var slot: Int
        public var tick: Int

        public init(slot: Int, tick: Int) {
            self.slot = slot
            self.tick = tick
        }
    }

    /// From a tick's due time on, every link's one-way latency is `latency` (the rest of
    /// `conditions` stays): a network that gets slower or faster during the game.
    public struct LatencyChange: Sendable, Equatable {
        public var tick: Int
        public var latency: TimeSpan

        public init(tick: Int, latency: TimeSpan) {
            self.tick = tick
            self.latency = latency
        }
    }

    /// Ticks to play (the game may end earlier).
    public var ticks: Int
    /// Seeds the network, the peers' keys and the bots.
    public var seed: UInt64
    public var skill: BotSkill
    /// Faults on every direction of every link.
    public var conditions: NetworkConditions
    public var partitions: [Partition]
    public var crashes: [Crash]
    public var latencyChanges: [LatencyChange]
    public var peer: MatchConfiguration
    /// A link silent this long is lost (then its player is dropped).
    public var linkTimeout: TimeSpan
    /// How long peers probe their links before the game starts, at least.
    public var warmUp: TimeSpan
    /// Warm-up goes on past `warmUp` until every link measured enough round trips, at most this long.
    public var warmUpLimit: TimeSpan
    /// Replay file per slot (nil: not recorded).
    public var replayPaths: [String?]
    /// Chat lines `(slot, tick, text)`: the bot of `slot` types `text` when its game reaches `tick`.
    public var chats: [(slot: Int, tick: Int, text: String)]
    /// Crashed seats whose node restarts (same keys, a new address) at a tick's due time and
    /// takes its seat again: it joins the mesh, is fed the match so far and asks for its seat.
    public var rejoins: [Crash] = []
    /// Nodes that join the mesh, hold no seat and watch the match (fed by players in turn).
    public var spectators = 0
    /// How far behind the feed spectators show the game.
    public var spectatorDelay = TimeSpan.seconds(2)
    /// Replay file per spectator, then per rejoining node (nil: not recorded).
    public var spectatorReplayPaths: [String?] = []
    public var rejoinReplayPaths: [String?] = []

    public init(
        ticks: Int, seed: UInt64, skill: BotSkill = .normal, conditions: NetworkConditions = .ideal,
        partitions: [Partition] = [], crashes: [Crash] = [], latencyChanges: [LatencyChange] = [], peer: MatchConfiguration = .init(),
        linkTimeout: TimeSpan = .seconds(5), warmUp: TimeSpan = .milliseconds(500), warmUpLimit: TimeSpan = .seconds(4),
        replayPaths: [String?] = [], chats: [(slot: Int, tick: Int, text: String)] = []
    ) {
        self.ticks = ticks
        self.seed = seed
        self.skill = skill
        self.conditions = conditions
        self.partitions = partitions
        self.crashes = crashes
        self.latencyChanges = latencyChanges
        self.peer = peer
        self.linkTimeout = linkTimeout
        self.warmUp = warmUp
        self.warmUpLimit = warmUpLimit
        self.replayPaths = replayPaths
        self.chats = chats
    }
}
