import MeshplayCore
import Snake
import TerminalUI

extension GameSetup {
    /// Snake, as the terminal client offers it: the built-in maps (or a map file by path),
    /// the standard settings with the room's match length.
    static let snake = GameSetup(
        gameName: "snake",
        mapNames: SnakeMap.builtinNames,
        seats: { name in
            guard let map = try? SnakeMap.load(nameOrPath: name) else { return 0 }
            return min(map.spawns.count, SnakeRules.playerLimit)
        },
        makeGame: { settings, players, seed in
            let map: SnakeMap
            do {
                map = try SnakeMap.load(nameOrPath: settings.mapName)
            } catch {
                throw GameSetupError("\(error)")
            }
            let config = SnakeConfig.standard(map: map, matchTicks: settings.matchTicks)
            return try GameInstance(rules: try SnakeRules(config: config), players: players, seed: seed)
        },
        catalog: .builtin
    )
}
