import Lobby
import MeshplayCore

/// What a player chooses when creating a room: the game, the map, how many bots, the match
/// length and the tick rate. The room's ``RoomSettings`` are made from it by the game's setup.
public struct RoomChoices: Hashable, Sendable {
    /// The game's name ("blast"); nil for the setup's first game.
    public var game: String?
    /// A map name or path the game setup understands.
    public var mapName: String
    /// Bot players besides the player.
    public var bots: Int
    /// Match length in seconds of game time.
    public var matchSeconds: Int
    /// Ticks per second.
    public var tickRate: Int

    public init(game: String? = nil, mapName: String, bots: Int, matchSeconds: Int, tickRate: Int) {
        self.game = game
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
    public static let tickRateChoices = [8, 10, 12, 15, 20, 25, 30]
    /// The default tick rate: brisk but steerable for snake.
    public static let defaultTickRate = 12
}

/// The games the client offers, supplied by the program (so this module draws and steers
/// any grid game and names no game's types): for each, its maps and how the choices of the
/// create-room form become a room's settings.
public struct GameSetup: Sendable {
    /// One game on offer.
    public struct Game: Sendable {
        /// Shown in the lobby, the create form and titles ("snake").
        public var name: String
        /// The maps offered when creating a room, in menu order.
        public var mapNames: [String]
        /// The most players a map seats; 0 for an unusable map.
        public var seats: @Sendable (_ mapName: String) -> Int
        /// The settings of a room named `roomName` playing `choices` (the game's configuration,
        /// map included, encoded in them); throws when the choices cannot be played.
        public var makeSettings: @Sendable (_ roomName: String, _ choices: RoomChoices) throws -> RoomSettings
        /// The tick rate the create form starts from for this game.
        public var defaultTickRate: Int

        public init(name: String, mapNames: [String], seats: @escaping @Sendable (String) -> Int,
                    makeSettings: @escaping @Sendable (String, RoomChoices) throws -> RoomSettings,
                    defaultTickRate: Int = RoomChoices.defaultTickRate) {
            self.name = name
            self.mapNames = mapNames
            self.seats = seats
            self.makeSettings = makeSettings
            self.defaultTickRate = defaultTickRate
        }
    }

    /// The games, the default first (at least one).
    public var games: [Game]
    /// Every game this build can play and replay (and how a person steers each).
    public var catalog: GameCatalog

    /// A setup offering `games` (the first is the default).
    public init(games: [Game], catalog: GameCatalog) {
        precondition(!games.isEmpty, "a client offers at least one game")
        self.games = games
        self.catalog = catalog
    }

    /// A setup offering one game.
    public init(gameName: String, mapNames: [String], seats: @escaping @Sendable (String) -> Int,
                makeSettings: @escaping @Sendable (String, RoomChoices) throws -> RoomSettings, catalog: GameCatalog) {
        self.init(games: [Game(name: gameName, mapNames: mapNames, seats: seats, makeSettings: makeSettings)], catalog: catalog)
    }

    /// The default game's name.
    public var gameName: String { games[0].name }
    /// The default game's maps.
    public var mapNames: [String] { games[0].mapNames }
    /// The seats of a map of the default game.
    public var seats: @Sendable (_ mapName: String) -> Int { games[0].seats }

    /// The game `choices` asks for (the default when it names none or an unknown one).
    public func game(for choices: RoomChoices) -> Game {
        games.first { $0.name == choices.game } ?? games[0]
    }

    /// The settings of a room named `roomName` playing `choices`.
    public func makeSettings(_ roomName: String, _ choices: RoomChoices) throws -> RoomSettings {
        try game(for: choices).makeSettings(roomName, choices)
    }

    /// The create form's menu of every game: its maps and their seats.
    public var menus: [GameMenu] {
        games.map { game in
            GameMenu(name: game.name, mapNames: game.mapNames, seats: game.mapNames.map(game.seats), defaultTickRate: game.defaultTickRate)
        }
    }
}

/// One game's entry in the create-room form: its maps and how many each seats.
public struct GameMenu: Hashable, Sendable {
    public var name: String
    public var mapNames: [String]
    /// Seats per map, parallel to ``mapNames``.
    public var seats: [Int]
    /// The tick rate the form offers first for this game.
    public var defaultTickRate: Int

    public init(name: String, mapNames: [String], seats: [Int], defaultTickRate: Int = RoomChoices.defaultTickRate) {
        precondition(!mapNames.isEmpty && mapNames.count == seats.count, "maps and seats must pair up")
        self.name = name
        self.mapNames = mapNames
        self.seats = seats
        self.defaultTickRate = defaultTickRate
    }

    /// The seats of `mapName` (the first map's when it is not on the menu).
    public func seats(of mapName: String) -> Int { seats[mapNames.firstIndex(of: mapName) ?? 0] }
}

extension GameSetup.Game {
    /// `offer` as the client's create-room form shows and plays it.
    public init(offer: GameOffer) {
        self.init(
            name: offer.name, mapNames: offer.builtinMaps,
            seats: { name in (try? offer.prepare(name, offer.matchTicks.lowerBound))?.seats ?? 0 },
            makeSettings: { roomName, choices in
                let match = try offer.prepare(choices.mapName, choices.matchTicks)
                // The room would cut a longer configuration short, and others would play another game.
                guard match.configBytes.count <= RoomSettings.maxConfigBytes else {
                    throw GameSetupError("map \(match.mapName) needs \(match.configBytes.count) bytes of configuration; a room carries at most \(RoomSettings.maxConfigBytes)")
                }
                return RoomSettings(
                    name: roomName, game: offer.identity, map: match.mapName, configBytes: match.configBytes, playerCap: match.seats,
                    tickRate: choices.tickRate, matchLengthTicks: UInt32(choices.matchTicks))
            },
            defaultTickRate: offer.defaultTickRate)
    }
}
