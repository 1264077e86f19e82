import MeshplayCore

extension SnakeRules {
    /// Arrows, WASD or hjkl turn the snake; the heading holds until the next turn.
    public static let controls = GameControls(
        bindings: GameControls.directionBindings(
            up: Direction.up.input, right: Direction.right.input, down: Direction.down.input, left: Direction.left.input),
        holdsLastInput: true,
        helpLines: [
            ControlHelpLine(keys: "Steer", action: "arrows, WASD, hjkl (the heading holds)"),
        ])
}
