import MeshplayCore

/// The settings of a room, chosen in the lobby and shown in the room.
public struct RoomSettings: Hashable, Sendable {
    /// A map name or path the game setup understands.
    public var mapName: String
    /// Bot players besides the humans.
    public var bots: Int
    /// Match length in seconds of game time.
    public var matchSeconds: Int
    /// Ticks per second.
    public var tickRate: Int

    public init(mapName: String, bots: Int, matchSeconds: Int, tickRate: Int) {
        self.mapName = mapName
        self.bots = bots
        self.matchSeconds = matchSeconds
        self.tickRate = tickRate
    }

    /// Match length in ticks.
    public var matchTicks: Int { matchSeconds * tickRate }

    /// Choices offered for the match length, in seconds.
    public static let matchLengthChoices = [60, 120, 180, 300, 600]
    /// Choices offered for the tick rate.
    public static let tickRateChoices = [8, 10, 12, 15, 20, 30]
    /// The default tick rate: brisk but steerable for snake.
    public static let defaultTickRate = 12
}

/// What the client needs to know about the game it offers, supplied by the program
/// (so this module draws any grid game and names no game's types).
public struct GameSetup: Sendable {
    /// Shown in the lobby and titles ("snake").
    public var gameName: String
    /// The maps offered when creating a room, in menu order.
    public var mapNames: [String]
    /// The most players a map seats; 0 for an unusable map.
    public var seats: @Sendable (_ mapName: String) -> Int
    /// Starts a game for `settings` with `players` in slot order.
    public var makeGame: @Sendable (_ settings: RoomSettings, _ players: [PlayerInfo], _ seed: UInt64) throws -> any RunningGame
    /// Every game this build can replay.
    public var catalog: GameCatalog

    public init(gameName: String, mapNames: [String], seats: @escaping @Sendable (String) -> Int,
                makeGame: @escaping @Sendable (RoomSettings, [PlayerInfo], UInt64) throws -> any RunningGame,
                catalog: GameCatalog) {
        self.gameName = gameName
        self.mapNames = mapNames
        self.seats = seats
        self.makeGame = makeGame
        self.catalog = catalog
    }
}
