import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import NIOCore

/// A room of real bot peers on loopback in this process, waiting for one more player:
/// how `meshplay play` gives a local room real network play.
///
/// The first bot creates the room with a player cap of bots + 1 and starts it once that
/// last seat is taken and everyone is ready; the other bots join through the first.
/// Each bot has its own UDP socket and identity, exactly as in `meshplay bot`. The
/// player joins through ``address`` like any networked room.
public final class LoopbackBotRoom: @unchecked Sendable {
    /// The room's name (what the player joins).
    public let roomName: String
    /// The first bot's address: the way into the mesh.
    public let address: SocketAddress
    /// The bot peers, the room's creator first.
    public let shells: [UDPBotShell]
    private let lock = NSLock()
    private var closed = false

    private init(roomName: String, shells: [UDPBotShell]) {
        self.roomName = roomName
        self.shells = shells
        address = shells[0].localAddress
    }

    /// ``address`` as `HOST:PORT`, the form a `NetworkJoin` takes.
    public var hostAndPort: String { "\(address.ipAddress ?? "127.0.0.1"):\(address.port ?? 0)" }

    /// What the bots' room plays: everything a room's settings carry but its cap, which
    /// ``LoopbackBotRoom`` sets to leave one seat for the player.
    public struct Game: Sendable {
        /// The room's name.
        public var roomName: String
        /// The game and its rules version.
        public var identity: GameIdentity
        /// The map's name (for lists; the map itself is in ``configBytes``).
        public var mapName: String
        /// The canonical encoding of the game's configuration (map included).
        public var configBytes: [UInt8]
        /// Simulation ticks per second.
        public var tickRate: Int
        /// The match length in ticks.
        public var matchLengthTicks: UInt32

        /// A room's game; see the properties.
        public init(roomName: String, identity: GameIdentity, mapName: String, configBytes: [UInt8], tickRate: Int,
                    matchLengthTicks: UInt32) {
            self.roomName = roomName
            self.identity = identity
            self.mapName = mapName
            self.configBytes = configBytes
            self.tickRate = tickRate
            self.matchLengthTicks = matchLengthTicks
        }
    }

    /// Why a loopback room cannot be made.
    public struct Refusal: Error, CustomStringConvertible, Sendable {
        /// What is wrong.
        public var description: String
    }

    /// Launches one bot per name on `host` (loopback; ports picked by the system).
    /// - Parameters:
    ///   - seed: seeds the bots' brains (each bot gets its own derivation).
    ///   - catalog: the games the bots can play; must include `game.identity`.
    /// - Throws: ``Refusal`` for settings a room cannot carry (no bots, too many, a
    ///   configuration over ``RoomSettings/maxConfigBytes``), or the bind error.
    public static func launch(
        _ game: Game, botNames: [String], skill: BotSkill, seed: UInt64, catalog: GameCatalog, host: String = "127.0.0.1"
    ) async throws -> LoopbackBotRoom {
        guard !botNames.isEmpty, botNames.count < PlayerSlot.capacity else {
            throw Refusal(description: "a loopback room needs 1-\(PlayerSlot.capacity - 1) bots, got \(botNames.count)")
        }
        // The room would cut a longer configuration short, and the bots would play another game than the player chose.
        guard game.configBytes.count <= RoomSettings.maxConfigBytes else {
            throw Refusal(description: "the game's configuration is \(game.configBytes.count) bytes; a room carries at most \(RoomSettings.maxConfigBytes)")
        }
        let players = botNames.count + 1
        let settings = RoomSettings(
            name: game.roomName, game: game.identity, map: game.mapName, configBytes: game.configBytes, playerCap: players,
            tickRate: game.tickRate, matchLengthTicks: game.matchLengthTicks)
        var seeds = SeededRandom(seed: seed)
        let botSeeds = botNames.map { _ in seeds.derivedSeed() }
        let shells = try await UDPBotShell.launchGroup(count: botNames.count, host: host, firstPort: 0, bootstrap: [], catalog: catalog) { index in
            BotPlan(name: botNames[index],
                    role: index == 0 ? .create(settings: settings, playersToStart: players) : .join(room: settings.name),
                    skill: skill, seed: botSeeds[index], joinTimeout: .seconds(10))
        }
        return LoopbackBotRoom(roomName: settings.name, shells: shells)
    }

    /// Stops every bot and closes its socket. Safe to call more than once; later calls return at once.
    public func close() async {
        guard markClosed() else { return }
        await withTaskGroup(of: Void.self) { group in
            for shell in shells { group.addTask { await shell.close() } }
        }
    }

    /// Closes each bot's socket once the bot is done by itself (after its game it lingers
    /// so slower peers finish, then leaves). A bot still waiting in its room stays up: ``close()`` it.
    public func closeWhenDone() {
        for shell in shells {
            shell.finished.whenComplete { _ in Task { await shell.close() } }
        }
    }

    /// True the first time only.
    private func markClosed() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if closed { return false }
        closed = true
        return true
    }
}
