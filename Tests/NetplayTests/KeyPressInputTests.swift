import MeshplayCore
import Netplay
import Snake
import Testing

/// How a person's key presses become one input per tick, as the game's controls say.
@Suite("Key presses as inputs")
struct KeyPressInputTests {
    /// A game whose controls are `controls` (Snake's rules, other keys).
    static func input(controls: GameControls) -> KeyPressInput {
        var input = KeyPressInput()
        input.matchStarted(ControlsGame(controls: controls), slot: PlayerSlot(0), seed: 0)
        return input
    }

    static let up = PlayerInput(rawValue: 1)
    static let left = PlayerInput(rawValue: 4)
    static let bomb = PlayerInput(rawValue: 8)

    @Test func aHeldHeadingRepeatsAndQuickTurnsBothCount() {
        var input = Self.input(controls: SnakeRules.controls)
        let game = ControlsGame(controls: SnakeRules.controls)
        #expect(input.nextInput(in: game) == .none)
        input.press(Self.up)
        input.press(Self.left)
        #expect(input.nextInput(in: game) == Self.up)
        #expect(input.nextInput(in: game) == Self.left)
        #expect(input.nextInput(in: game) == Self.left, "the heading holds")
        input.press(Self.left)
        #expect(input.nextInput(in: game) == Self.left, "repeating the heading queues nothing")
    }

    @Test func mashingKeysQueuesAtMostThree() {
        let controls = GameControls(bindings: [], holdsLastInput: false, helpLines: [])
        var input = Self.input(controls: controls)
        let game = ControlsGame(controls: controls)
        for _ in 0..<10 { input.press(Self.up) }
        let played = (0..<5).map { _ in input.nextInput(in: game) }
        #expect(played == [Self.up, Self.up, Self.up, .none, .none], "one tick per press, then nothing")
    }

    @Test func aMoveAndABombJoinIntoOneTick() {
        let controls = GameControls(bindings: [], holdsLastInput: false, helpLines: []) { waiting, pressed in
            let bombBit: UInt16 = 8
            let joinable = (waiting.rawValue & bombBit == 0) != (pressed.rawValue & bombBit == 0)
            return joinable ? PlayerInput(rawValue: waiting.rawValue | pressed.rawValue) : nil
        }
        var input = Self.input(controls: controls)
        let game = ControlsGame(controls: controls)
        input.press(Self.left)
        input.press(Self.bomb)
        #expect(input.nextInput(in: game) == PlayerInput(rawValue: 12))
        #expect(input.nextInput(in: game) == .none)
    }

    @Test func bindingsMatchLettersInEitherCase() {
        let controls = SnakeRules.controls
        #expect(controls.input(for: .character("W")) == Direction.up.input)
        #expect(controls.input(for: .character("l")) == Direction.right.input)
        #expect(controls.input(for: .left) == Direction.left.input)
        #expect(controls.input(for: .character("x")) == nil)
        #expect(controls.input(for: .space) == nil)
    }
}

/// A running game that is only its controls (the input source reads nothing else).
final class ControlsGame: RunningGame {
    let controls: GameControls
    init(controls: GameControls) { self.controls = controls }
    var identity: GameIdentity { GameIdentity(id: "controls", version: 1) }
    var configBytes: [UInt8] { [] }
    var players: [PlayerInfo] { [PlayerInfo(slot: PlayerSlot(0), name: "p")] }
    var seed: UInt64 { 0 }
    var tick: Tick { .zero }
    func step(inputs: [PlayerInput]) {}
    func removePlayer(_ slot: PlayerSlot) {}
    func checksum() -> StateChecksum { StateChecksum(rawValue: 0) }
    func stateBytes() -> [UInt8] { [] }
    var outcome: GameOutcome? { nil }
    func view() -> GameView { GameView(width: 0, height: 0, cells: [], scoreboard: [], status: "") }
    func describeState() -> String { "" }
    func snapshot() -> GameStateSnapshot { GameStateSnapshot { "" } }
    func makeBot(slot: PlayerSlot, seed: UInt64, skill: BotSkill) -> any RunningBot { fatalError("no bots") }
}
