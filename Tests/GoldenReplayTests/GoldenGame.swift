import MeshplayCore

/// A game with golden replays: how to run it, and the matches to record.
struct GoldenGame: Sendable {
    /// The rules the matches are recorded with now (id and version).
    let identity: GameIdentity
    /// The rules type's name, to say where the version is bumped ("SnakeRules").
    let rulesName: String
    /// Where the game's rules type is: the suite's catalog registers it.
    let register: @Sendable (inout GameCatalog) -> Void
    /// The recorded matches; their names must be unique across all games.
    let matches: [GoldenMatch]

    /// The golden replays of `rules`.
    init<Rules: GameRules>(_ rules: Rules.Type, matches: [GoldenMatch]) {
        identity = Rules.identity
        rulesName = String(describing: Rules.self)
        register = { $0.register(Rules.self) }
        self.matches = matches
    }

    /// Every golden game's rules, for the verifier.
    static let catalog: GameCatalog = {
        var catalog = GameCatalog()
        for game in all { game.register(&catalog) }
        return catalog
    }()
}

/// One golden replay to record: a seeded bot match of a few hundred ticks.
struct GoldenMatch: Sendable {
    /// The file's name without `.mpr`, e.g. "snake-4p-walled".
    let name: String
    /// The canonical bytes of the game's config.
    let config: [UInt8]
    let players: Int
    /// The match is recorded for this many ticks, or until the game is over.
    let ticks: Int
    /// The game's seed; the bots' seeds derive from it.
    let seed: UInt64
    let skill: BotSkill

    init(name: String, config: some CanonicalCodable, players: Int, ticks: Int, seed: UInt64, skill: BotSkill = .normal) {
        self.name = name
        self.config = config.canonicalBytes
        self.players = players
        self.ticks = ticks
        self.seed = seed
        self.skill = skill
    }

    var fileName: String { name + ".mpr" }
}
