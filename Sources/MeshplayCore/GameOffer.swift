/// A game as a program offers it for new matches: its built-in maps, the one a number of
/// players needs, and how a map and a match length become the game's configuration. Each
/// game supplies its own (`SnakeRules.offer`, `BlastRules.offer`); the command line and the
/// client's create-room form read them, so neither names a game's types.
public struct GameOffer: Sendable {
    /// Which game and rules version.
    public var identity: GameIdentity
    /// A short name for people ("snake").
    public var name: String
    /// The built-in maps, smallest first.
    public var builtinMaps: [String]
    /// The map a match uses when none is asked for.
    public var defaultMap: String
    /// The match lengths the game accepts, in ticks.
    public var matchTicks: ClosedRange<Int>
    /// The tick rate a person plays it at by default (its timings are in ticks).
    public var defaultTickRate: Int
    /// The most players any map of this game seats.
    public var playerLimit: Int
    /// The smallest built-in map seating `players` players (nil when none does).
    public var mapSeating: @Sendable (_ players: Int) -> String?
    /// The match on `map` (a built-in name or a map file's path) lasting `matchTicks`; throws a
    /// reason a person can act on (the file, line and column of a bad map, a length out of range).
    public var prepare: @Sendable (_ map: String, _ matchTicks: Int) throws -> PreparedMatch

    /// An offer; see the properties.
    public init(
        identity: GameIdentity, name: String, builtinMaps: [String], defaultMap: String, matchTicks: ClosedRange<Int>,
        defaultTickRate: Int, playerLimit: Int, mapSeating: @escaping @Sendable (Int) -> String?,
        prepare: @escaping @Sendable (String, Int) throws -> PreparedMatch
    ) {
        self.identity = identity
        self.name = name
        self.builtinMaps = builtinMaps
        self.defaultMap = defaultMap
        self.matchTicks = matchTicks
        self.defaultTickRate = defaultTickRate
        self.playerLimit = playerLimit
        self.mapSeating = mapSeating
        self.prepare = prepare
    }

    /// The map for a match of `players`: `asked` when given (refused, naming a map that
    /// would do, when it seats fewer), else the default map when it seats them, else the
    /// smallest built-in map that does.
    public func map(for players: Int, asked: String?, matchTicks: Int) throws -> PreparedMatch {
        if let asked {
            let match = try prepare(asked, matchTicks)
            guard match.seats >= players else {
                let instead = mapSeating(players).map { "; map \($0) seats \(players)" } ?? ""
                throw GameSetupError("map \(match.mapName) seats at most \(match.seats) players, not \(players)\(instead)")
            }
            return match
        }
        let preferred = try prepare(defaultMap, matchTicks)
        if preferred.seats >= players { return preferred }
        guard let bigger = mapSeating(players) else {
            throw GameSetupError("no \(name) map seats \(players) players (at most \(playerLimit))")
        }
        return try prepare(bigger, matchTicks)
    }
}

/// A match of one game, ready to seat players: its map's name, how many it seats, and the
/// canonical configuration every peer makes the game from.
public struct PreparedMatch: Sendable, Equatable {
    /// The map's display name.
    public var mapName: String
    /// The most players it seats.
    public var seats: Int
    /// The game's canonical configuration (map included).
    public var configBytes: [UInt8]

    /// A prepared match.
    public init(mapName: String, seats: Int, configBytes: [UInt8]) {
        self.mapName = mapName
        self.seats = seats
        self.configBytes = configBytes
    }
}
