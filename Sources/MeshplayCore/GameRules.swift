/// Names a game and the version of its rules. Two peers (or a peer and the
/// verifier) can only share a game when both parts match exactly.
public struct GameIdentity: Hashable, Sendable, CustomStringConvertible {
    /// A short stable id such as `"snake"`: lowercase ASCII letters, digits and dashes.
    public var id: String
    /// Bumped whenever a rule change could change any state for the same inputs.
    public var version: UInt16

    public init(id: String, version: UInt16) {
        self.id = id
        self.version = version
    }

    public var description: String { "\(id) v\(version)" }
}

/// The rules of one deterministic game.
///
/// A game step is a pure function of the state and every seated player's input for
/// that tick, in slot order. Implementations must not read clocks, use floating
/// point, iterate a `Set` or `Dictionary`, or hash with `Hasher`: every peer, the
/// replay verifier and a second process must compute the same state and checksum.
public protocol GameRules: Sendable {
    /// The match settings (map, length...). Its canonical encoding travels in room
    /// settings and replay headers, so it must describe the game completely.
    associatedtype Config: CanonicalCodable & Sendable & Equatable
    /// Everything that changes during a match.
    associatedtype State: Sendable
    /// The game's bot brain.
    associatedtype Bot: GameBot where Bot.Rules == Self

    /// Which game and rules version this is.
    static var identity: GameIdentity { get }

    /// How a person plays it from a keyboard: key bindings and help lines.
    static var controls: GameControls { get }

    /// The settings these rules were made with.
    var config: Config { get }

    /// Rules for `config`; throws when the settings are unplayable.
    init(config: Config) throws

    /// The most players this configuration seats.
    var maxPlayers: Int { get }

    /// The state before tick 0. `players` are sorted by slot, slots `0 ..< players.count`.
    func initialState(players: [PlayerInfo], seed: UInt64) throws -> State

    /// Advances one tick. `inputs[i]` is slot `i`'s input; a slot that has left is ignored.
    func step(_ state: inout State, inputs: [PlayerInput])

    /// Takes a player out of the match (it left or its node was lost), at the current tick.
    func removePlayer(_ slot: PlayerSlot, from state: inout State)

    /// Seats a removed player again (it rejoined the running match), at the current tick.
    /// The default leaves the state as it is: the seat plays on but the game has no place
    /// for it. A game that can bring a player back (a respawn) should say how.
    func restorePlayer(_ slot: PlayerSlot, to state: inout State)

    /// Writes the canonical encoding of `state`, the input to its checksum.
    func encodeState(_ state: State, to encoder: inout some CanonicalEncoder)

    /// The result once the match is over, otherwise nil.
    func outcome(of state: State) -> GameOutcome?

    /// A renderer-neutral picture of the state.
    func view(of state: State, players: [PlayerInfo]) -> GameView

    /// A readable multi-line dump of the state, for desync investigations.
    func describe(_ state: State) -> String
}

extension GameRules {
    public func restorePlayer(_ slot: PlayerSlot, to state: inout State) {}

    /// The state's checksum: a hash of its canonical encoding.
    public func checksum(of state: State) -> StateChecksum {
        var hasher = StateHasher()
        encodeState(state, to: &hasher)
        return hasher.checksum
    }
}

/// How hard a bot tries.
public enum BotSkill: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// Random legal moves.
    case random = 0
    /// Avoids walls but does not plan.
    case easy = 1
    /// Plans around dead ends and seeks food.
    case normal = 2
    /// Plans further ahead.
    case hard = 3

    public var description: String {
        switch self {
        case .random: "random"
        case .easy: "easy"
        case .normal: "normal"
        case .hard: "hard"
        }
    }
}

/// A game's bot brain. It lives with its game and is deterministic given its seed.
public protocol GameBot: Sendable {
    associatedtype Rules: GameRules
    init(rules: Rules, slot: PlayerSlot, seed: UInt64, skill: BotSkill)
    /// The input this bot plays for the next tick, given the current state.
    mutating func nextInput(rules: Rules, state: Rules.State) -> PlayerInput
}
