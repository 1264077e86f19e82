import MeshplayCore
import Testing
@testable import Blast

@Suite("Controls")
struct ControlsTests {
    let controls = BlastRules.controls

    @Test func keysPlayMovesAndBombs() {
        #expect(controls.input(for: .up) == up)
        #expect(controls.input(for: .character("D")) == right)
        #expect(controls.input(for: .character("j")) == down)
        #expect(controls.input(for: .character("a")) == left)
        for key: ControlKey in [.space, .character("b"), .character("X")] { #expect(controls.input(for: key) == bomb) }
        #expect(controls.input(for: .character("q")) == nil)
        #expect(!controls.holdsLastInput)
        #expect(controls.helpLines.count == 2)
        #expect(BlastInput(up) == BlastInput(move: .step(.up)))
        #expect(BlastInput(bomb) == BlastInput(dropsBomb: true))
    }

    @Test func bitLayoutIsAsDocumented() {
        #expect(up.rawValue == 1 && right.rawValue == 2 && down.rawValue == 3 && left.rawValue == 4)
        #expect(bomb.rawValue == 8 && BlastInput.stay.rawValue == 5)
        #expect(BlastInput.step(.left, bomb: true).rawValue == 12)
        #expect(BlastInput(PlayerInput(rawValue: 0x00F3)) == BlastInput(move: .step(.down), dropsBomb: false))
        #expect(BlastInput(PlayerInput(rawValue: 0x000E)) == BlastInput(move: .none, dropsBomb: true))
    }

    @Test func aMoveAndABombJoinIntoOneInput() {
        #expect(controls.combine(bomb, right) == BlastInput.step(.right, bomb: true))
        #expect(controls.combine(right, bomb) == BlastInput.step(.right, bomb: true))
        #expect(controls.combine(right, left) == nil, "two moves take two ticks")
        #expect(controls.combine(bomb, bomb) == nil)
        #expect(controls.combine(BlastInput.step(.up, bomb: true), bomb) == nil)
        #expect(controls.combine(BlastInput.step(.up, bomb: true), left) == nil)
        #expect(controls.combine(.none, left) == left)
    }
}
