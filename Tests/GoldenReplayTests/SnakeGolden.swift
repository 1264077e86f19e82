import Snake

extension GoldenGame {
    /// Snake on the four built-in maps with 2, 4, 8 and 16 players. Random bots crash
    /// often (deaths and respawns), better ones eat and fight.
    static let snake = GoldenGame(SnakeRules.self, matches: [
        GoldenMatch(name: "snake-2p-open", config: snakeConfig(map: "open", ticks: 300), players: 2, ticks: 300, seed: 1, skill: .random),
        GoldenMatch(name: "snake-4p-walled", config: snakeConfig(map: "walled", ticks: 400), players: 4, ticks: 400, seed: 2),
        GoldenMatch(name: "snake-8p-maze", config: snakeConfig(map: "maze", ticks: 400), players: 8, ticks: 400, seed: 3, skill: .hard),
        GoldenMatch(name: "snake-16p-arena16", config: snakeConfig(map: "arena16", ticks: 300), players: 16, ticks: 300, seed: 4),
    ])

    /// The standard settings on built-in `map`, ending after `ticks` so the trailer holds an outcome.
    private static func snakeConfig(map: String, ticks: Int) -> SnakeConfig {
        guard let map = SnakeMap.builtin(map) else { fatalError("no built-in snake map \(map)") }
        return .standard(map: map, matchTicks: ticks)
    }
}
