import Foundation
import MeshplayCore
import Replay
import Testing
@testable import TerminalUI

@Suite struct ReplayViewerTests {
    /// A 200-tick bot match at 10 Hz with two chat lines (at ticks 10 and 80, the second
    /// with a terminal title sequence in it), as replay bytes.
    private func recordedMatch() throws -> [UInt8] {
        let folder = try Fixtures.temporaryFolder("viewer")
        let path = folder.path + "/m.mpr"
        let players = (0 ..< 3).map { PlayerInfo(slot: PlayerSlot($0), name: "p\($0 + 1)") }
        let settings = try Fixtures.setup.makeSettings("viewer", RoomChoices(mapName: "open", bots: 2, matchSeconds: 20, tickRate: 10))
        let game = try Fixtures.catalog.makeGame(settings.game, config: settings.configBytes, players: players, seed: 3)
        var seeds = SeededRandom(seed: 1)
        let bots = players.map { game.makeBot(slot: $0.slot, seed: seeds.derivedSeed(), skill: .easy) }
        let writer = try ReplayFileWriter(path: path, mode: .replace)
        try writer.begin(ReplayHeader(recording: game, ticksPerSecond: 10, checkpointInterval: 20))
        try writer.checkpoint(tick: .zero, checksum: game.checksum())
        while Int(game.tick.rawValue) < 200, game.outcome == nil {
            let tick = game.tick
            if tick == Tick(10) { try writer.record(event: .chat(slot: PlayerSlot(0), text: "first line"), at: tick) }
            if tick == Tick(80) { try writer.record(event: .chat(slot: PlayerSlot(1), text: "\u{1B}]0;x\u{7}second"), at: tick) }
            let inputs = bots.map { $0.nextInput(in: game) }
            try writer.record(tick: tick, inputs: inputs)
            game.step(inputs: inputs)
            if game.tick.rawValue % 20 == 0 { try writer.checkpoint(tick: game.tick, checksum: game.checksum()) }
        }
        try writer.finish(finalChecksum: game.checksum(), outcome: game.outcome)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    @Test func playsAtTheRecordedRateAndSpeed() throws {
        let viewer = try ReplayViewer(bytes: try recordedMatch(), name: "m.mpr", catalog: Fixtures.setup.catalog)
        #expect(viewer.playback.tickCount == Tick(200))
        for now in stride(from: UInt64(0), through: 1000, by: 20) { _ = viewer.advance(now: .milliseconds(now)) }
        #expect(viewer.playback.tick == Tick(10))
        _ = viewer.handle(.char("+"), now: .milliseconds(1000))
        #expect(viewer.speedText == "2x")
        for now in stride(from: UInt64(1020), through: 2000, by: 20) { _ = viewer.advance(now: .milliseconds(now)) }
        #expect(viewer.playback.tick.rawValue >= 27 && viewer.playback.tick.rawValue <= 29)
        let screen = Fixtures.draw(viewer).text
        #expect(screen.contains("of 200"))
        #expect(screen.contains("speed 2x"))
        #expect(screen.contains("p1: first line"))
        #expect(!screen.contains("p2:"), "the second line comes later")
    }

    @Test func pauseStepAndSeek() throws {
        let viewer = try ReplayViewer(bytes: try recordedMatch(), name: "m.mpr", catalog: Fixtures.setup.catalog)
        _ = viewer.handle(.char(" "), now: .zero)
        #expect(viewer.paused)
        _ = viewer.advance(now: .milliseconds(5000))
        #expect(viewer.playback.tick == .zero)
        _ = viewer.handle(.char("."), now: .zero)
        _ = viewer.handle(.char("."), now: .zero)
        #expect(viewer.playback.tick == Tick(2))
        _ = viewer.handle(.right, now: .zero)
        _ = viewer.handle(.right, now: .zero)
        #expect(viewer.playback.tick == Tick(102))
        #expect(viewer.chat.lines.map(\.text) == ["first line", "second"], "the title sequence never reaches the terminal")
        #expect(Fixtures.draw(viewer).contains("p2: second"))
        _ = viewer.handle(.left, now: .zero)
        _ = viewer.handle(.char(","), now: .zero)
        #expect(viewer.playback.tick == Tick(51))
        #expect(viewer.chat.lines.map(\.text) == ["first line"])
        _ = viewer.handle(.end, now: .zero)
        #expect(viewer.playback.tick == Tick(200))
        #expect(Fixtures.draw(viewer).text.contains("PAUSED"))
        #expect(!viewer.handle(.char("q"), now: .zero))
    }
}
