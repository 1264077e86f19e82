import Bots
import Foundation
import MeshplayCore
import Replay
import Testing
@testable import TerminalUI

@Suite struct ReplayViewerTests {
    /// A 200-tick bot match at 10 Hz with two chat lines, as replay bytes.
    private func recordedMatch() throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "ui-viewer-\(getpid())-\(UInt32.random(in: 0 ... .max)).mpr"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let players = (0 ..< 3).map { PlayerInfo(slot: PlayerSlot($0), name: "p\($0 + 1)") }
        let game = try Fixtures.setup.makeGame(RoomSettings(mapName: "open", bots: 2, matchSeconds: 20, tickRate: 10), players, 3)
        let session = try LocalPlaySession(game: game, tickRate: 10, skill: .easy, botSeed: 1,
                                           recorder: try ReplayFileWriter(path: path, mode: .replace))
        // Small clock steps, as the UI loop takes: one tick per 100 ms.
        var now: UInt64 = 0
        while session.game.outcome == nil {
            _ = session.advance(now: .milliseconds(now))
            if now == 1000 { session.sendChat("first line") }
            if now == 8000 { session.sendChat("\u{1B}]0;x\u{7}second") }
            now += 50
        }
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
        #expect(viewer.chat.lines.map(\.text) == ["first line", "second"])
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
