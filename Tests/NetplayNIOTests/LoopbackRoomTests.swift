import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import MeshplayTestSupport
import Netplay
import NetplayNIO
import Replay
import Snake
import Testing
@testable import TerminalUI

/// A local room over real UDP on loopback: the client's own node hosts it, two bot nodes in
/// this process join it, and everyone plays a short match to its end. Every wait has a
/// deadline; they are generous because the nodes run on NIO's loops and the cooperative
/// pool (two cores here), which the rest of the suite shares.
@Suite(.serialized) struct LoopbackRoomTests {
    /// A map file of the player's own: the bots get it inside the room's game configuration.
    static let customMap = """
        name: Tiny Custom
        ##############
        #>..........<#
        #.....##.....#
        #.....##.....#
        #^..........<#
        ##############
        """

    static let setup = GameSetup(
        gameName: "snake", mapNames: SnakeMap.builtinNames,
        seats: { name in (try? SnakeMap.load(nameOrPath: name)).map { min($0.spawns.count, SnakeRules.playerLimit) } ?? 0 },
        makeSettings: { roomName, choices in
            let map = try SnakeMap.load(nameOrPath: choices.mapName)
            let config = SnakeConfig.standard(map: map, matchTicks: choices.matchTicks)
            let rules = try SnakeRules(config: config)
            return RoomSettings(name: roomName, game: SnakeRules.identity, map: map.name, configBytes: config.canonicalBytes,
                                playerCap: rules.maxPlayers, tickRate: choices.tickRate, matchLengthTicks: UInt32(choices.matchTicks))
        },
        catalog: TestGames.catalog)

    @Test func theClientHostsALocalRoomOfBotNodesAndPlaysItToTheResults() async throws {
        try await OffThePool.wait {
            let folder = NSTemporaryDirectory() + "loopback-room-\(getpid())-\(UInt32.random(in: 0 ... .max))"
            try FileManager.default.createDirectory(atPath: folder + "/replays", withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let mapPath = folder + "/tiny.map"
            try Self.customMap.write(toFile: mapPath, atomically: true, encoding: .utf8)
            // 200 ticks at 20 Hz: ten seconds of play, long enough to be seen even when the rest of
            // the suite keeps the cooperative pool (which runs this test's polling) busy for seconds.
            let choices = RoomChoices(mapName: mapPath, bots: 2, matchSeconds: 10, tickRate: 20)
            let model = AppModel(playerName: "tess", gameName: "snake", mapNames: Self.setup.mapNames + [mapPath],
                                 seats: (Self.setup.mapNames + [mapPath]).map(Self.setup.seats), defaultChoices: choices)
            let controller = ClientController(model: model, setup: Self.setup, service: UDPNetplay(catalog: TestGames.catalog),
                                              replays: ReplayStore(requested: folder + "/replays", environment: [:]), log: FileLog(path: nil),
                                              seedSource: { 42 })
            defer { controller.shutdown() }
            controller.createRoom(choices)
            // The members count can be drawn a frame before the bots are known as bots: wait for both.
            try await Self.poll(controller, "the two bots in the room", seconds: 150) { _, screen in
                screen.contains("Members 3/4") && screen.contains("bot1 (bot)") && screen.contains("bot2 (bot)")
            }
            let room = Self.draw(controller)
            #expect(room.contains("bot1 (bot)") && room.contains("bot2 (bot)") && room.contains("tess (you) *"), "\(room.text)")
            #expect(room.contains("Map          Tiny Custom"))
            _ = controller.handle(.character("r"), now: .monotonicNow)
            var statusLines: [String] = []
            try await Self.poll(controller, "the results screen", seconds: 150) { controller, screen in
                if controller.model.screen == .game { statusLines.append(screen.row(23)) }
                return controller.model.screen == .results
            }
            // Each bot's ping shows on some frame (under load a frame may catch one link between measurements).
            var distinct: [String] = []
            for line in statusLines where distinct.last != line { distinct.append(line) }
            for bot in ["bot1", "bot2"] {
                #expect(statusLines.contains { $0.range(of: bot + #" \d+ms"#, options: .regularExpression) != nil },
                        "the status line showed \(bot)'s ping (\(statusLines.count) frames): \(distinct.prefix(5)) ... \(distinct.suffix(5))")
            }
            let results = Self.draw(controller)
            #expect(results.contains("Match over"), "\(results.text)")
            #expect(results.contains("Replay saved to \(folder)/replays/"))
            let notices = controller.model.room?.chat.lines.map(\.text) ?? []
            #expect(!notices.contains { $0.contains("disagree") }, "no desync: \(notices)")
            controller.shutdown()
            // The replay is written by the writer's thread: wait until everything queued is on disk.
            #expect(ReplayWriteQueue.shared.drain(timeout: .seconds(10)))
            let recorded = ((try? FileManager.default.contentsOfDirectory(atPath: folder + "/replays")) ?? []).filter { $0.hasSuffix(".mpr") }
            let replay = try #require(recorded.first, "a replay in \(folder)/replays")
            let report = ReplayVerifier.verify(path: folder + "/replays/" + replay, catalog: TestGames.catalog)
            #expect(report.status == .ok, "\(report)")
            #expect(report.players.map(\.name).sorted() == ["bot1", "bot2", "tess"])
            #expect(report.ticks == 200)
        }
    }

    static func draw(_ controller: ClientController) -> CellBuffer {
        var buffer = CellBuffer(width: 80, height: 24)
        controller.draw(into: &buffer)
        return buffer
    }

    /// Advances the controller on the monotonic clock every few milliseconds until `done`
    /// holds for it and its screen; fails after `seconds` with the screen as it stands.
    static func poll(
        _ controller: ClientController, _ what: String, seconds: Int, _ done: (ClientController, CellBuffer) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            _ = controller.advance(now: .monotonicNow)
            if done(controller, draw(controller)) { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw GameSetupError("timed out after \(seconds) s waiting for \(what); the screen shows:\n\(draw(controller).text)")
    }
}
