import Bots
import Foundation
import Lobby
import Snake
import TerminalUI

/// A real room for the lobby's loopback tests: a bot in this process creating "arena"
/// (open map, 3 players) on a loopback UDP port.
enum LoopbackRoomHost {
    /// Starts the host; the caller closes it. `map` is the room's map.
    static func arena() async throws -> (host: UDPBotShell, map: SnakeMap) {
        let map = try SnakeMap.load(nameOrPath: "open")
        let settings = RoomSettings(name: "arena", game: SnakeRules.identity, map: map.name,
                                    configBytes: SnakeConfig.standard(map: map, matchTicks: 100).canonicalBytes, playerCap: 3)
        let host = try await UDPBotShell.launch(host: "127.0.0.1", port: 0, plan: BotPlan(name: "host", role: .create(settings: settings, playersToStart: 3)),
                                                bootstrap: [], catalog: Fixtures.setup.catalog)
        return (host, map)
    }

    /// Whether `room` is the host's "arena" as listed: its name, game, map, 1/3, open, at its loopback address.
    static func isArena(_ room: NetworkRoom, map: SnakeMap, port: Int) -> Bool {
        room.name == "arena" && room.game == "snake" && room.map == map.name && room.players == 1 && room.capacity == 3
            && room.locked == false && room.address == "127.0.0.1:\(port)"
    }
}
