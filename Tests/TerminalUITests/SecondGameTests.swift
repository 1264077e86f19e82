import Foundation
import Blast
import Lobby
import MeshplayCore
import Netplay
import Replay
import Simulation
import Snake
import Testing
@testable import TerminalUI

/// The client plays any game its setup offers: the create form chooses the game, rooms show
/// it, the board, keys, help and legend are the game's own, and the replay verifies.
@Suite("A second game in the client (Blast)")
struct SecondGameTests {
    static let catalog: GameCatalog = {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        catalog.register(BlastRules.self)
        return catalog
    }()

    static let setup = GameSetup(games: [GameSetup.Game(offer: SnakeRules.offer), GameSetup.Game(offer: BlastRules.offer)], catalog: catalog)

    static func client(replays: String? = nil) -> VirtualClient {
        let network = SimulatedNetplay(catalog: catalog, seed: 3)
        let model = AppModel(playerName: "alice", games: setup.menus,
                             defaultChoices: RoomChoices(mapName: "open", bots: 1, matchSeconds: 60, tickRate: 12))
        var seeds = SeededRandom(seed: 3)
        let controller = ClientController(model: model, setup: setup, service: network, replays: replays.flatMap { ReplayStore(requested: $0, environment: [:]) },
                                          log: FileLog(path: nil), seedSource: { seeds.next() })
        return VirtualClient(controller: controller, network: network)
    }

    @Test func theCreateFormChoosesTheGameAndItsMaps() async throws {
        let client = Self.client()
        await client.press(.char("c"))
        #expect(client.screen.contains("Game"), "\(client.screen)")
        #expect(client.screen.contains("snake"))
        #expect(client.screen.contains("open (8 seats)"))
        // Up to the game row, then right: Blast, with its own maps.
        await client.press(.up)
        await client.press(.right)
        #expect(client.screen.contains("blast"), "\(client.screen)")
        #expect(client.screen.contains("yard (4 seats)"), "\(client.screen)")
        await client.press(.down)
        await client.press(.right)
        #expect(client.screen.contains("plaza (8 seats)"), "\(client.screen)")
    }

    @Test func aBlastRoomPlaysWithBlastsKeysHelpAndLegendAndItsReplayVerifies() async throws {
        let folder = try Fixtures.temporaryFolder("blast")
        let client = Self.client(replays: folder.path)
        client.controller.createRoom(RoomChoices(game: "blast", mapName: "yard", bots: 2, matchSeconds: 10, tickRate: 15))
        try #require(await client.wait(for: "Members 3/4"), "\(client.screen)")
        #expect(client.screen.contains("Game         blast v1"), "\(client.screen)")
        #expect(client.screen.contains("Map          Yard"), "\(client.screen)")
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10), "\(client.screen)")
        #expect(client.screen.contains("blast on Yard"), "\(client.screen)")
        // A bomb and a step pressed before the same tick: the game's combine joins them.
        await client.press(.char(" "), step: 1)
        await client.press(.right, step: 1)
        await client.press(.char("?"))
        let help = client.screen
        #expect(help.contains("space, b, x") && help.contains("drop a bomb"), "\(help)")
        #expect(help.contains("arrows, WASD, hjkl") && help.contains("step one cell a press"), "\(help)")
        #expect(help.contains("crate") && help.contains("fire"), "the legend: \(help)")
        await client.press(.escape)
        try #require(await client.wait(forScreen: .results, seconds: 30), "\(client.screen)")
        #expect(client.screen.contains("Match over"))
        let replay = try #require(folder.replays.first)
        let report = ReplayVerifier.verify(path: replay, catalog: Self.catalog)
        #expect(report.status == .ok, "\(report)")
        #expect(report.game == BlastRules.identity)
        let file = try ReplayFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: replay))))
        let mine = file.inputChanges.filter { $0.slot == PlayerSlot(0) }.map(\.input.rawValue)
        #expect(mine.contains(BlastInput.bomb.rawValue | BlastInput.step(.right).rawValue), "a bomb and a step in one tick: \(mine)")
    }
}
