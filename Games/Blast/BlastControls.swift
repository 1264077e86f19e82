import MeshplayCore

extension BlastRules {
    /// Arrows, WASD or hjkl step one cell a press; space, `b` or `x` drops a bomb. A press
    /// plays for one tick only (`holdsLastInput` is false). A move and a bomb pressed before
    /// the same tick join into one input (drop, then step), so "bomb and run" takes one tick.
    public static let controls = GameControls(
        bindings: GameControls.directionBindings(
            up: BlastInput.step(.up), right: BlastInput.step(.right),
            down: BlastInput.step(.down), left: BlastInput.step(.left))
            + [KeyBinding([.space, .character("b"), .character("x")], BlastInput.bomb)],
        holdsLastInput: false,
        helpLines: [
            ControlHelpLine(keys: "arrows, WASD, hjkl", action: "step one cell a press"),
            ControlHelpLine(keys: "space, b, x", action: "drop a bomb"),
        ],
        legend: [
            entry(BlastGlyphs.wall, "wall"), entry(BlastGlyphs.crate, "crate"), entry(BlastGlyphs.bomb(PlayerSlot(0)), "bomb"),
            entry(BlastGlyphs.bombAboutToBlow, "about to blow"), entry(BlastGlyphs.fire, "fire"),
            entry(BlastGlyphs.powerUp(.range), "range +1"), entry(BlastGlyphs.powerUp(.bomb), "bombs +1"),
            entry(BlastGlyphs.powerUp(.speed), "speed +1"), LegendEntry("1-9", ascii: "1-9", "players"),
            entry(BlastGlyphs.fallen, "fallen player"),
        ],
        combine: combine)

    /// A legend entry for a glyph of the board, so the legend cannot drift from the drawing.
    static func entry(_ cell: GameCell, _ meaning: String) -> LegendEntry {
        LegendEntry(String(Character(cell.glyph)), ascii: String(Character(cell.asciiGlyph)), meaning)
    }

    /// Joins `pressed` into `waiting` when `waiting` lacks that part: a move into an input
    /// with no move, a bomb into an input without one. Nil (a tick of its own) otherwise.
    @Sendable
    static func combine(_ waiting: PlayerInput, _ pressed: PlayerInput) -> PlayerInput? {
        let waitingInput = BlastInput(waiting)
        let pressedInput = BlastInput(pressed)
        var joined = waitingInput
        if pressedInput.move != .none {
            guard waitingInput.move == .none else { return nil }
            joined.move = pressedInput.move
        }
        if pressedInput.dropsBomb {
            guard !waitingInput.dropsBomb else { return nil }
            joined.dropsBomb = true
        }
        return joined.playerInput
    }
}
