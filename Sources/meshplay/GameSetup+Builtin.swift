import Lobby
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
        makeSettings: { roomName, choices in
            let map: SnakeMap
            do {
                map = try SnakeMap.load(nameOrPath: choices.mapName)
            } catch {
                throw GameSetupError("\(error)")
            }
            let config = SnakeConfig.standard(map: map, matchTicks: choices.matchTicks)
            let rules = try SnakeRules(config: config)
            let bytes = config.canonicalBytes
            // The room would cut a longer configuration short, and others would play another game.
            guard bytes.count <= RoomSettings.maxConfigBytes else {
                throw GameSetupError("map \(map.name) needs \(bytes.count) bytes of configuration; a room carries at most \(RoomSettings.maxConfigBytes)")
            }
            return RoomSettings(
                name: roomName, game: SnakeRules.identity, map: map.name, configBytes: bytes, playerCap: rules.maxPlayers,
                tickRate: choices.tickRate, matchLengthTicks: UInt32(choices.matchTicks))
        },
        catalog: .builtin
    )
}
