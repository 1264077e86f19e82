import Lobby
import MeshplayCore

/// What a player chooses when creating a room: the map, how many bots, the match length
/// and the tick rate. The room's ``RoomSettings`` are made from it by the game's setup.
public struct RoomChoices: Hashable, Sendable {
    /// A map name or path the game setup understands.
    public var mapName: String
    /// Bot players besides the player.
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

/// What the client needs to know about the game it offers, supplied by the program (so
/// this module draws and steers any grid game and names no game's types).
public struct GameSetup: Sendable {
    /// Shown in the lobby and titles ("snake").
    public var gameName: String
    /// The maps offered when creating a room, in menu order.
    public var mapNames: [String]
    /// The most players a map seats; 0 for an unusable map.
    public var seats: @Sendable (_ mapName: String) -> Int
    /// The settings of a room named `roomName` playing `choices` (the game's configuration,
    /// map included, encoded in them); throws when the choices cannot be played.
    public var makeSettings: @Sendable (_ roomName: String, _ choices: RoomChoices) throws -> RoomSettings
    /// Every game this build can play and replay (and how a person steers each).
    public var catalog: GameCatalog

    public init(gameName: String, mapNames: [String], seats: @escaping @Sendable (String) -> Int,
                makeSettings: @escaping @Sendable (String, RoomChoices) throws -> RoomSettings, catalog: GameCatalog) {
        self.gameName = gameName
        self.mapNames = mapNames
        self.seats = seats
        self.makeSettings = makeSettings
        self.catalog = catalog
    }
}
