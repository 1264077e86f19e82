extension GoldenGame {
    /// Every game with golden replays. Adding a game is one line here, beside a file
    /// like `SnakeGolden.swift` that lists its matches (and the game's target among
    /// this test target's dependencies); then regenerate (see Golden/README.md).
    static let all: [GoldenGame] = [
        .snake,
        .blast,
    ]
}
