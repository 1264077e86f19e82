/// A game in progress, whatever its rules: what the lockstep layer, the replay
/// verifier and the client drive without knowing the game's types.
public protocol RunningGame: AnyObject {
    var identity: GameIdentity { get }
    /// How a person plays it from a keyboard.
    var controls: GameControls { get }
    /// The canonical encoding of the configuration this game was made with.
    var configBytes: [UInt8] { get }
    var players: [PlayerInfo] { get }
    var seed: UInt64 { get }
    /// How many steps have been taken: the next step simulates this tick.
    var tick: Tick { get }
    /// Advances one tick with every slot's input (one entry per seated player).
    func step(inputs: [PlayerInput])
    /// Removes a player at the current tick.
    func removePlayer(_ slot: PlayerSlot)
    /// Seats a removed player again at the current tick (it rejoined). The default does nothing.
    func restorePlayer(_ slot: PlayerSlot)
    /// The checksum of the current state.
    func checksum() -> StateChecksum
    /// The canonical bytes of the current state.
    func stateBytes() -> [UInt8]
    /// Non-nil once the match is over.
    var outcome: GameOutcome? { get }
    func view() -> GameView
    /// A readable dump of the state, for desync reports.
    func describeState() -> String
    /// The current state kept aside, to be described later if need be.
    func snapshot() -> GameStateSnapshot
    /// A bot for `slot`, deterministic given `seed`.
    func makeBot(slot: PlayerSlot, seed: UInt64, skill: BotSkill) -> any RunningBot
}

extension RunningGame {
    public func restorePlayer(_ slot: PlayerSlot) {}
}

/// A bot for some running game.
public protocol RunningBot: AnyObject {
    var slot: PlayerSlot { get }
    /// The bot's input for the game's next tick.
    func nextInput(in game: any RunningGame) -> PlayerInput
}

/// The concrete `RunningGame` for one set of rules.
public final class GameInstance<Rules: GameRules>: RunningGame {
    public let rules: Rules
    public let players: [PlayerInfo]
    public let seed: UInt64
    // State and tick are written only by this class's own methods, never re-entrantly, so the
    // runtime's dynamic exclusivity checks (about 7% of a replay verification) are turned off.
    @exclusivity(unchecked) public private(set) var state: Rules.State
    @exclusivity(unchecked) public private(set) var tick: Tick = .zero

    /// Starts a game; players must occupy slots `0 ..< players.count` in order.
    public init(rules: Rules, players: [PlayerInfo], seed: UInt64) throws {
        guard !players.isEmpty else { throw GameSetupError("a game needs at least one player") }
        guard players.count <= rules.maxPlayers else {
            throw GameSetupError("\(players.count) players, but this map seats at most \(rules.maxPlayers)")
        }
        for (index, player) in players.enumerated() where player.slot.index != index {
            throw GameSetupError("player \(player.name) has slot \(player.slot.index), expected \(index)")
        }
        self.rules = rules
        self.players = players
        self.seed = seed
        self.state = try rules.initialState(players: players, seed: seed)
    }

    public var identity: GameIdentity { Rules.identity }
    public var controls: GameControls { Rules.controls }
    public var configBytes: [UInt8] { rules.config.canonicalBytes }

    public func step(inputs: [PlayerInput]) {
        rules.step(&state, inputs: inputs)
        tick = tick.next
    }

    public func removePlayer(_ slot: PlayerSlot) { rules.removePlayer(slot, from: &state) }
    public func restorePlayer(_ slot: PlayerSlot) { rules.restorePlayer(slot, to: &state) }
    public func checksum() -> StateChecksum { rules.checksum(of: state) }

    public func stateBytes() -> [UInt8] {
        var writer = ByteWriter(capacity: 1024)
        rules.encodeState(state, to: &writer)
        return writer.bytes
    }

    public var outcome: GameOutcome? { rules.outcome(of: state) }
    public func view() -> GameView { rules.view(of: state, players: players) }
    public func describeState() -> String { rules.describe(state) }

    public func snapshot() -> GameStateSnapshot {
        let rules = self.rules
        let state = self.state
        return GameStateSnapshot { rules.describe(state) }
    }

    public func makeBot(slot: PlayerSlot, seed: UInt64, skill: BotSkill) -> any RunningBot {
        BotDriver<Rules>(brain: Rules.Bot(rules: rules, slot: slot, seed: seed, skill: skill), slot: slot)
    }
}

/// A game state kept for a later look (a desync report): keeping it costs a copy of
/// the state, not the text, which is made only when `describe()` is called.
public struct GameStateSnapshot {
    private let describeState: () -> String

    /// A snapshot that describes itself with `describeState` when asked.
    public init(_ describeState: @escaping () -> String) { self.describeState = describeState }

    /// A readable dump of the state (the game's `describe`).
    public func describe() -> String { describeState() }
}

/// Runs a typed bot brain against a type-erased game.
final class BotDriver<Rules: GameRules>: RunningBot {
    var brain: Rules.Bot
    let slot: PlayerSlot

    init(brain: Rules.Bot, slot: PlayerSlot) {
        self.brain = brain
        self.slot = slot
    }

    func nextInput(in game: any RunningGame) -> PlayerInput {
        // A bot made for one game type and handed another is a wiring bug; play nothing rather than crash.
        guard let instance = game as? GameInstance<Rules> else { return .none }
        return brain.nextInput(rules: instance.rules, state: instance.state)
    }
}

/// A game could not be set up (bad settings, too many players, unknown game).
public struct GameSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The games this build knows, by identity: how replays, rooms and the
/// verifier turn a (game id, version, config bytes) triple back into a game.
public struct GameCatalog: Sendable {
    public typealias Factory = @Sendable (_ config: [UInt8], _ players: [PlayerInfo], _ seed: UInt64) throws -> any RunningGame

    private var entries: [(identity: GameIdentity, controls: GameControls, factory: Factory)] = []

    public init() {}

    /// Adds a game.
    public mutating func register<Rules: GameRules>(_ rules: Rules.Type) {
        entries.append((Rules.identity, Rules.controls, { config, players, seed in
            var reader = ByteReader(config)
            let decoded: Rules.Config
            do {
                decoded = try Rules.Config(from: &reader)
                try reader.expectEnd("game config")
            } catch let error as DecodingError {
                throw GameSetupError("invalid \(Rules.identity) config: \(error)")
            }
            return try GameInstance(rules: try Rules(config: decoded), players: players, seed: seed)
        }))
    }

    /// The identities this catalog can run, in registration order.
    public var identities: [GameIdentity] { entries.map(\.identity) }

    /// How a person plays `identity` (any version of the same game when that exact one is unknown).
    public func controls(for identity: GameIdentity) -> GameControls? {
        (entries.first { $0.identity == identity } ?? entries.first { $0.identity.id == identity.id })?.controls
    }

    /// Whether some version of game `id` is known (to tell "unknown game" from "unknown version").
    public func knows(gameID id: String) -> Bool { entries.contains { $0.identity.id == id } }

    /// Starts the game named by `identity` from its encoded config.
    public func makeGame(_ identity: GameIdentity, config: [UInt8], players: [PlayerInfo], seed: UInt64) throws -> any RunningGame {
        guard let entry = entries.first(where: { $0.identity == identity }) else {
            if knows(gameID: identity.id) {
                let known = entries.filter { $0.identity.id == identity.id }.map { "v\($0.identity.version)" }.joined(separator: ", ")
                throw GameSetupError("game \(identity.id) version \(identity.version) is not supported (this build has \(known))")
            }
            throw GameSetupError("unknown game \"\(identity.id)\"")
        }
        return try entry.factory(config, players, seed)
    }
}

/// The engine's own version, recorded in replays and checked at handshake.
public enum MeshplayVersion {
    public static let string = "0.1.0"
    /// Protocol/engine compatibility number; peers with different values refuse each other.
    /// 2: lockstep slack reports carry arrival counts (the adaptive input delay).
    /// 3: lockstep datagrams carry attestations (signed checkpoints), seat requests (a dropped player
    /// coming back) and packed runs; replays of signed matches are format 3.
    public static let engine: UInt16 = 3
}
