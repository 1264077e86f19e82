import Bots
import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import NetplayNIO
import Snake

/// Snake only: the games the loopback tests play.
enum TestGames {
    static let catalog: GameCatalog = {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        return catalog
    }()
}

/// A real room for the lobby's loopback tests: a bot node in this process creating "arena"
/// (open map, 3 players) on a loopback UDP port, following a `BotPlan` through a `BotPilot`.
enum LoopbackRoomHost {
    /// Starts the host; the caller closes it (``close(_:)``). `map` is the room's map.
    static func arena() async throws -> (host: UDPNode, map: SnakeMap) {
        let map = try SnakeMap.load(nameOrPath: "open")
        let settings = RoomSettings(name: "arena", game: SnakeRules.identity, map: map.name,
                                    configBytes: SnakeConfig.standard(map: map, matchTicks: 100).canonicalBytes, playerCap: 3)
        let plan = BotPlan(name: "host", role: .create(settings: settings, playersToStart: 3))
        let host = try await UDPNode.start(
            host: "127.0.0.1", port: 0, bootstrap: [], catalog: TestGames.catalog,
            input: { BotBrainInput(skill: .easy) }, pilot: { BotPilot(plan: plan) }, publishesSnapshots: false)
        return (host, map)
    }

    /// The host's room as it advertises it, once it has one (nil after `seconds`).
    static func advert(of host: UDPNode, seconds: Int = 120) async throws -> RoomAdvert? {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if let advert = host.mailbox.status?.advert { return advert }
            try await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Says goodbye (bounded) and closes the socket.
    static func close(_ host: UDPNode) async {
        host.send(.leave)
        _ = await host.waitUntilStopped(timeout: .seconds(3))
        await host.close()
    }

    /// Whether `room` is the host's "arena" as listed: its name, game, map, 1/3, open, at its loopback address.
    static func isArena(_ room: RoomListing, map: SnakeMap, port: Int) -> Bool {
        room.name == "arena" && room.game == "snake" && room.map == map.name && room.players == 1 && room.capacity == 3
            && room.locked == false && room.address == "127.0.0.1:\(port)"
    }
}
