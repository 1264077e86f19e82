import Bots
import MeshTransport
import MeshplayCore

/// Everything `meshplay play` was asked for.
public struct PlayOptions: Sendable {
    public var name: String
    /// The local UDP port for network joins (`--port`; nil picks one).
    public var port: Int?
    /// Mesh members to look at and join through (`--peer HOST:PORT`, repeatable).
    public var peers: [String]
    /// The rendezvous node to ask for rooms (`--resolver HOST:PORT`).
    public var resolver: String?
    /// The room password (`--password`): used instead of asking when joining a locked room.
    public var password: String?
    /// With `peers`: the networked room to join (`--room`).
    public var room: String?
    /// Open a local room with this many bots straight away.
    public var bots: Int?
    public var mapName: String
    public var tickRate: Int
    public var matchSeconds: Int
    public var botSkill: BotSkill
    public var replaysDirectory: String?
    public var terminal: TerminalOptions
    public var logPath: String?

    public init(name: String, port: Int?, peers: [String], resolver: String?, password: String?, bots: Int?,
                mapName: String, tickRate: Int, matchSeconds: Int, botSkill: BotSkill, replaysDirectory: String?,
                terminal: TerminalOptions, logPath: String?, room: String? = nil) {
        self.name = name
        self.room = room
        self.port = port
        self.peers = peers
        self.resolver = resolver
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
    public func discoveryPlaces() throws -> RoomDiscovery.Places {
        RoomDiscovery.Places(lan: LANDiscovery(), resolver: try resolver.map { try HostPort(parsing: $0) },
                             peers: try peers.map { try HostPort(parsing: $0) }, meshName: UDPBotShell.lobbyMeshName)
    }

    /// The networked room to join, when `--peer` and `--room` were both given.
    public var networkJoin: NetworkJoin? {
        guard let room else { return nil }
        // Through --peer when given, else the resolver and the LAN.
        return NetworkJoin(peers: peers, room: room, password: password, port: port ?? 0,
                           resolver: peers.isEmpty ? resolver : nil, searchLAN: peers.isEmpty)
    }
}

/// `meshplay play` and `meshplay replay` behind their argument parsing.
public enum PlayClient {
    /// Runs the client until the player quits or a signal arrives. Throws (after the
    /// terminal is restored) when the terminal cannot be used or something failed.
    public static func play(_ options: PlayOptions, setup: GameSetup, environment: [String: String]) throws -> TerminalExit {
        let log = FileLog(path: options.logPath)
        log.log("meshplay play starting as \(options.name)")
        let places = try options.discoveryPlaces()
        var mapNames = setup.mapNames
        if !mapNames.contains(options.mapName) { mapNames.append(options.mapName) }
        let seats = mapNames.map(setup.seats)
        let settings = RoomSettings(mapName: options.mapName, bots: options.bots ?? 3,
                                    matchSeconds: options.matchSeconds, tickRate: options.tickRate)
        var model = AppModel(playerName: options.name, gameName: setup.gameName, mapNames: mapNames, seats: seats,
                             defaultSettings: settings)
        let network = options.networkJoin
        model.lobby.presetPassword = options.password
        if let network {
            model.openNetworkRoom(NetworkJoinChoice(room: network.room, address: network.whereDescription,
                                                    password: network.password))
        } else if options.bots != nil {
            model.openLocalRoom(settings)
        }
        let replays = ReplayStore(requested: options.replaysDirectory, environment: environment)
        log.log("replays go to \(replays?.directory ?? "nowhere (no writable directory)")")
        let controller = ClientController(model: model, setup: setup, replays: replays, botSkill: options.botSkill, log: log,
                                          network: network, places: places, networkPort: options.port ?? 0)
        return try TerminalLoop.run(controller, options: options.terminal, log: log)
    }

    /// Shows a replay file.
    public static func replay(bytes: [UInt8], name: String, catalog: GameCatalog, terminal: TerminalOptions, logPath: String?) throws -> TerminalExit {
        let viewer = try ReplayViewer(bytes: bytes, name: name, catalog: catalog)
        return try TerminalLoop.run(viewer, options: terminal, log: FileLog(path: logPath))
    }
}
