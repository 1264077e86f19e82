import Blast

extension GoldenGame {
    /// Blast on its three built-in maps with 2, 8 and 16 players: bombs, chains, crates
    /// opening on power-ups, players falling.
    static let blast = GoldenGame(BlastRules.self, matches: [
        GoldenMatch(name: "blast-2p-yard", config: blastConfig(map: "yard", ticks: 400), players: 2, ticks: 400, seed: 1, skill: .normal),
        GoldenMatch(name: "blast-8p-plaza", config: blastConfig(map: "plaza", ticks: 400), players: 8, ticks: 400, seed: 2, skill: .hard),
        GoldenMatch(name: "blast-16p-stadium", config: blastConfig(map: "stadium", ticks: 300), players: 16, ticks: 300, seed: 3),
    ])

    /// The standard settings on built-in `map`, ending after `ticks` so the trailer holds an outcome.
    private static func blastConfig(map: String, ticks: Int) -> BlastConfig {
        guard let map = BlastMap.builtin(map) else { fatalError("no built-in blast map \(map)") }
        return .standard(map: map, matchTicks: ticks)
    }
}
