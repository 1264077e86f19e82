import Foundation
import Blast
import Lobby
import MeshplayCore
import MeshTransportNIO
import MeshplayTestSupport
import Netplay
import NetplayNIO
import Replay
import Snake
import Testing
@testable import TerminalUI

/// Quitting mid-match over real UDP (q then y): the player's node ends the match and hands its
/// recording's trailer to the writer before the client is gone, so the replay verifies whole.
/// (Over UDP the node runs on its own loop: the quit must wait for it; the simulated service cannot show this.)
@Suite struct QuitOverUDPTests {
    @Test(arguments: ["snake", "blast"]) func quittingMidMatchLeavesAWholeReplay(game: String) async throws {
        try await OffThePool.wait {
            var catalog = GameCatalog()
            catalog.register(SnakeRules.self)
            catalog.register(BlastRules.self)
            let setup = GameSetup(games: [GameSetup.Game(offer: SnakeRules.offer), GameSetup.Game(offer: BlastRules.offer)], catalog: catalog)
            let folder = NSTemporaryDirectory() + "quit-udp-\(getpid())-\(game)"
            defer { try? FileManager.default.removeItem(atPath: folder) }
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let model = AppModel(playerName: "tess", games: setup.menus, defaultChoices: RoomChoices(mapName: "open", bots: 1, matchSeconds: 60, tickRate: 12))
            let controller = ClientController(model: model, setup: setup, service: UDPNetplay(catalog: catalog),
                                              replays: ReplayStore(requested: folder, environment: [:]), log: FileLog(path: nil), seedSource: { 42 })
            controller.createRoom(RoomChoices(game: game, mapName: game == "blast" ? "yard" : "open", bots: 2, matchSeconds: 60, tickRate: 12))
            let deadline = ContinuousClock.now + .seconds(120)
            var readied = false
            while ContinuousClock.now < deadline {
                _ = controller.advance(now: .monotonicNow)
                if !readied, controller.model.room?.members.count == 3 { readied = true; _ = controller.handle(.character("r"), now: .monotonicNow) }
                if controller.model.screen == .game, (controller.model.game?.status.tick.rawValue ?? 0) > 30 { break }
                try await Task.sleep(for: .milliseconds(5))
            }
            try #require(controller.model.screen == .game, "the match never ran")
            _ = controller.handle(.character("q"), now: .monotonicNow)
            #expect(!controller.handle(.character("y"), now: .monotonicNow), "the client quits")
            controller.shutdown()
            // What a quitting meshplay play does last.
            #expect(ReplayWriteQueue.shared.drain(timeout: .seconds(10)))
            let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mpr") }
            let replay = try #require(files.first, "a replay in \(folder)")
            let report = ReplayVerifier.verify(path: folder + "/" + replay, catalog: catalog)
            #expect(report.status == .ok, "\(report)")
            #expect(!report.isTruncated, "the trailer was written before the client was gone")
            #expect(report.endedEarly == "left the match", "\(report)")
            #expect(report.game?.id == game)
        }
    }
}
