import Lobby
import MeshplayCore

/// Who chooses a seated player's input, tick by tick: a person's key presses, a bot brain,
/// a replay. The node asks once per sampled tick, with the game as it stands; the source
/// is told when a match begins, so a brain can be built for that game.
public protocol InputSource {
    /// A match starts: `game` (at tick 0) with the local player in `slot`; `seed` is the
    /// match's seed mixed with this node's own, for sources that draw.
    mutating func matchStarted(_ game: any RunningGame, slot: PlayerSlot, seed: UInt64)
    /// The local player's input for the tick about to be sampled.
    mutating func nextInput(in game: any RunningGame) -> PlayerInput
    /// A key press from the person at this node (``NodeCommand/press(_:)``); sources that
    /// are not a person ignore it.
    mutating func press(_ input: PlayerInput)
}

extension InputSource {
    public mutating func matchStarted(_ game: any RunningGame, slot: PlayerSlot, seed: UInt64) {}
    public mutating func press(_ input: PlayerInput) {}
}

/// A person's key presses as inputs: presses queue up so two quick turns inside one tick
/// both count (a snake can turn round a corner), at most ``limit`` ahead of the ticks so
/// mashing keys cannot build a backlog. How a press lasts follows the game's controls:
/// with ``GameControls/holdsLastInput`` the last input plays on every tick until the next
/// press (and a press that repeats it changes nothing); otherwise a press plays one tick,
/// then ``PlayerInput/none``. A press that ``GameControls/combine`` can join into the input
/// waiting at the back of the queue (a move and a bomb) becomes one input.
public struct KeyPressInput: InputSource, Sendable {
    /// Presses held ahead of the ticks at most; more are dropped.
    public static let limit = 3

    private var controls: GameControls?
    private var queued: [PlayerInput] = []
    private var held = PlayerInput.none

    /// An empty queue.
    public init() {}

    public mutating func matchStarted(_ game: any RunningGame, slot: PlayerSlot, seed: UInt64) {
        controls = game.controls
        queued = []
        held = .none
    }

    public mutating func press(_ input: PlayerInput) {
        let holds = controls?.holdsLastInput ?? true
        if let last = queued.last, let joined = controls?.combine(last, input) {
            queued[queued.count - 1] = joined
            return
        }
        guard queued.count < Self.limit else { return }
        if holds, queued.last == input || (queued.isEmpty && held == input) { return }
        queued.append(input)
    }

    public mutating func nextInput(in game: any RunningGame) -> PlayerInput {
        let holds = controls?.holdsLastInput ?? true
        guard !queued.isEmpty else { return holds ? held : .none }
        let next = queued.removeFirst()
        if holds { held = next }
        return next
    }
}

/// Plays nothing: a node whose player never moves (tests, or a seat waiting for its person).
public struct IdleInput: InputSource, Sendable {
    public init() {}
    public mutating func nextInput(in game: any RunningGame) -> PlayerInput { .none }
}

/// Plays one slot's recorded inputs back, tick by tick (then ``PlayerInput/none``): a
/// replay as an input source, to re-enact a recorded player against live ones.
public struct RecordedInput: InputSource, Sendable {
    private let inputs: [PlayerInput]
    private var next = 0

    /// Plays `inputs` from the first tick of the next match.
    public init(inputs: [PlayerInput]) { self.inputs = inputs }

    public mutating func matchStarted(_ game: any RunningGame, slot: PlayerSlot, seed: UInt64) { next = 0 }

    public mutating func nextInput(in game: any RunningGame) -> PlayerInput {
        defer { next += 1 }
        return next < inputs.count ? inputs[next] : .none
    }
}
