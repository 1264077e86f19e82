import MeshTransport
import MeshplayCore
import Netplay

/// Everything `meshplay play` was asked for.
public struct PlayOptions: Sendable {
    public var name: String
    /// The local UDP port for network joins (`--port`; nil picks one).
    public var port: Int?
    /// Mesh members to look at and join through (`--peer HOST:PORT`, repeatable).
    public var peers: [String]
    /// The rendezvous nodes to ask for rooms (`--resolver HOST:PORT`, repeatable).
    public var resolvers: [String]
    /// The room password (`--password`): used instead of asking when joining a locked room.
    public var password: String?
    /// With `peers`: the networked room to join (`--room`).
    public var room: String?
    /// Open a local room with this many bots straight away.
    public var bots: Int?
    /// The game of rooms the player creates (nil: the setup's first).
    public var game: String?
    public var mapName: String
    public var tickRate: Int
    public var matchSeconds: Int
    public var botSkill: BotSkill
    public var replaysDirectory: String?
    public var terminal: TerminalOptions
    public var logPath: String?

    public init(name: String, port: Int?, peers: [String], resolvers: [String], password: String?, bots: Int?,
                mapName: String, tickRate: Int, matchSeconds: Int, botSkill: BotSkill, replaysDirectory: String?,
                terminal: TerminalOptions, logPath: String?, room: String? = nil, game: String? = nil) {
        self.game = game
        self.name = name
        self.room = room
        self.port = port
        self.peers = peers
        self.resolvers = resolvers
        self.password = password
        self.bots = bots
        self.mapName = mapName
        self.tickRate = tickRate
        self.matchSeconds = matchSeconds
        self.botSkill = botSkill
        self.replaysDirectory = replaysDirectory
        self.terminal = terminal
        self.logPath = logPath
    }

    /// Where the lobby looks for network rooms: always the LAN, plus `--resolver` and `--peer`.
    /// Throws on a malformed `HOST:PORT` (the command line checks them first).
    public func roomPlaces() throws -> RoomPlaces {
        RoomPlaces(lan: true, resolvers: try resolvers.map { try HostPort(parsing: $0) }, peers: try peers.map { try HostPort(parsing: $0) })
    }

    /// The networked room to open at once (`--room`): through `--peer` when given, else the resolver and the LAN.
    public var networkJoin: NetworkJoinChoice? {
        guard let room else { return nil }
        if !peers.isEmpty { return NetworkJoinChoice(room: room, address: peers.joined(separator: ", "), password: password, mesh: .peers(peers)) }
        let mesh = PlayerNodeRequest.Mesh.search(resolvers: resolvers, lan: true)
        let place = PlayerNodeRequest(name: name, mesh: mesh).meshDescription
        return NetworkJoinChoice(room: room, address: place, password: password, mesh: mesh)
    }
}

/// The networks a client runs on: where its nodes go, and where a local room goes when its
/// bots cannot start there.
public struct PlayNetworks {
    /// Where the player's node and its bots run.
    public var service: any NetplayService
    /// Where a local room runs when it cannot start on ``service``; nil to just say why.
    public var fallback: (any NetplayService)?

    public init(service: any NetplayService, fallback: (any NetplayService)?) {
        self.service = service
        self.fallback = fallback
    }
}

/// `meshplay play` and `meshplay replay` behind their argument parsing.
public enum PlayClient {
    /// Runs the client until the player quits or a signal arrives. Throws (after the
    /// terminal is restored) when the terminal cannot be used or something failed.
    /// - Parameter networks: makes the client's networks, given its log.
    public static func play(
        _ options: PlayOptions, setup: GameSetup, environment: [String: String], networks: (FileLog) -> PlayNetworks
    ) throws -> TerminalExit {
        let log = FileLog(path: options.logPath)
        log.log("meshplay play starting as \(options.name)")
        let places = try options.roomPlaces()
        let chosen = setup.games.first { $0.name == options.game } ?? setup.games[0]
        // A map file given with --map joins its game's menu.
        var menus = setup.menus
        if let index = menus.firstIndex(where: { $0.name == chosen.name }), !menus[index].mapNames.contains(options.mapName) {
            menus[index] = GameMenu(name: chosen.name, mapNames: menus[index].mapNames + [options.mapName],
                                    seats: menus[index].seats + [chosen.seats(options.mapName)])
        }
        let choices = RoomChoices(game: chosen.name, mapName: options.mapName, bots: options.bots ?? 3, matchSeconds: options.matchSeconds,
                                  tickRate: options.tickRate)
        let identity = setup.catalog.identities.first { $0.id == chosen.name } ?? setup.catalog.identities.first
        let help = identity.flatMap { setup.catalog.controls(for: $0) }?.helpLines ?? []
        var model = AppModel(playerName: options.name, games: menus, defaultChoices: choices, defaultHelp: help)
        model.lobby.presetPassword = options.password
        let replays = ReplayStore(requested: options.replaysDirectory, environment: environment)
        log.log("replays go to \(replays?.directory ?? "nowhere (no writable directory)")")
        let made = networks(log)
        let controller = ClientController(model: model, setup: setup, service: made.service, fallback: made.fallback, replays: replays,
                                          botSkill: options.botSkill, log: log, places: places, port: options.port ?? 0)
        if let join = options.networkJoin {
            controller.joinRoom(join)
        } else if options.bots != nil {
            controller.createRoom(choices)
        }
        return try TerminalLoop.run(controller, options: options.terminal, log: log)
    }

    /// Shows a replay file.
    public static func replay(bytes: [UInt8], name: String, catalog: GameCatalog, terminal: TerminalOptions, logPath: String?) throws -> TerminalExit {
        let viewer = try ReplayViewer(bytes: bytes, name: name, catalog: catalog)
        return try TerminalLoop.run(viewer, options: terminal, log: FileLog(path: logPath))
    }
}
