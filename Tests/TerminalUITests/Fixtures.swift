import MeshplayCore
import Snake
@testable import TerminalUI

/// Shared test setup: the snake game as the client sees it, and a model with a room.
enum Fixtures {
    static let setup = GameSetup(
        gameName: "snake",
        mapNames: SnakeMap.builtinNames,
        seats: { name in (try? SnakeMap.load(nameOrPath: name)).map { min($0.spawns.count, SnakeRules.playerLimit) } ?? 0 },
        makeGame: { settings, players, seed in
            let map = try SnakeMap.load(nameOrPath: settings.mapName)
            return try GameInstance(rules: try SnakeRules(config: .standard(map: map, matchTicks: settings.matchTicks)), players: players, seed: seed)
        },
        catalog: {
            var catalog = GameCatalog()
            catalog.register(SnakeRules.self)
            return catalog
        }()
    )

    static let settings = RoomSettings(mapName: "open", bots: 3, matchSeconds: 60, tickRate: 12)

    static func model() -> AppModel {
        AppModel(playerName: "alice", gameName: "snake", mapNames: setup.mapNames,
                 seats: setup.mapNames.map(setup.seats), defaultSettings: settings)
    }

    /// A controller on a virtual clock, not recording, its bots in process (deterministic).
    static func controller(bots: Int = 3, map: String = "open") -> ClientController {
        var model = model()
        model.openLocalRoom(RoomSettings(mapName: map, bots: bots, matchSeconds: 60, tickRate: 12))
        let controller = ClientController(model: model, setup: setup, replays: nil, log: FileLog(path: nil), seedSource: { 42 })
        controller.localBotsOverLoopback = false
        return controller
    }

    static func draw(_ scene: some TerminalScene, width: Int = 80, height: Int = 24) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        scene.draw(into: &buffer)
        return buffer
    }

    static func draw(_ model: AppModel, width: Int = 80, height: Int = 24, ascii: Bool = false) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height, asciiOnly: ascii)
        model.draw(into: &buffer)
        return buffer
    }

    static func at(milliseconds: UInt64) -> Timestamp { .milliseconds(milliseconds) }
}
