import Foundation
import MeshplayCore
import Replay
import Testing
@testable import TerminalUI

@Suite struct LocalPlaySessionTests {
    private func makeSession(recordTo path: String? = nil, tickRate: Int = 10) throws -> LocalPlaySession {
        let players = (0 ..< 4).map { PlayerInfo(slot: PlayerSlot($0), name: $0 == 0 ? "alice" : "bot\($0)") }
        let game = try Fixtures.setup.makeGame(RoomSettings(mapName: "open", bots: 3, matchSeconds: 10, tickRate: tickRate), players, 7)
        let recorder = try path.map { try ReplayFileWriter(path: $0, mode: .replace) }
        return try LocalPlaySession(game: game, tickRate: tickRate, skill: .normal, botSeed: 9, recorder: recorder)
    }

    @Test func ticksFollowTheClock() throws {
        let session = try makeSession()
        _ = session.advance(now: .milliseconds(1000))
        #expect(session.status.tick == .zero)
        _ = session.advance(now: .milliseconds(1099))
        #expect(session.status.tick == .zero)
        _ = session.advance(now: .milliseconds(1100))
        #expect(session.status.tick == Tick(1))
        _ = session.advance(now: .milliseconds(1350))
        #expect(session.status.tick == Tick(3))
        #expect(session.nextDeadline(after: .milliseconds(1350)) == .milliseconds(1400))
        #expect(session.status.waitingFor.isEmpty && session.status.isLocal)
    }

    @Test func aLongPauseDoesNotReplayEveryMissedTick() throws {
        let session = try makeSession()
        _ = session.advance(now: .milliseconds(0))
        _ = session.advance(now: .milliseconds(60_000))
        #expect(session.status.tick.rawValue <= UInt32(LocalPlaySession.catchUpLimit) + 1)
    }

    @Test func queuedTurnsArePlayedOnePerTick() throws {
        let path = NSTemporaryDirectory() + "ui-session-\(getpid()).mpr"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try makeSession(recordTo: path)
        _ = session.advance(now: .milliseconds(0))
        session.localInput(SteeringKeys.up)
        session.localInput(SteeringKeys.left)
        _ = session.advance(now: .milliseconds(200))
        session.leave()
        let file = try ReplayFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))))
        let mine = file.inputChanges.filter { $0.slot == PlayerSlot(0) }.map(\.input)
        #expect(mine == [SteeringKeys.up, SteeringKeys.left])
    }

    @Test func aFinishedMatchRecordsAReplayThatVerifies() throws {
        let path = NSTemporaryDirectory() + "ui-full-\(getpid()).mpr"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try makeSession(recordTo: path)
        var events: [SessionEvent] = []
        events += session.advance(now: .milliseconds(0))
        session.sendChat("hello \u{1B}[31mworld")
        var now: UInt64 = 0
        while !events.contains(where: { if case .finished = $0 { true } else { false } }), now < 20_000 {
            now += 100
            if now == 500 { session.localInput(SteeringKeys.down) }
            events += session.advance(now: .milliseconds(now))
        }
        #expect(events.contains(.chat(from: PlayerSlot(0), name: "alice", text: "hello world")))
        guard case .finished(_, let replayPath)? = events.last else {
            Issue.record("no finish: \(events)")
            return
        }
        #expect(replayPath == path)
        let report = ReplayVerifier.verify(path: path, catalog: Fixtures.setup.catalog)
        #expect(report.status == .ok, "\(report)")
        let playback = try ReplayPlayback(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))), catalog: Fixtures.setup.catalog)
        #expect(playback.chat(before: playback.tickCount.next).map(\.event) == [.chat(slot: PlayerSlot(0), text: "hello world")])
    }

    @Test func leavingEarlyLeavesATruncatedButReadableReplay() throws {
        let path = NSTemporaryDirectory() + "ui-left-\(getpid()).mpr"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let session = try makeSession(recordTo: path)
        _ = session.advance(now: .milliseconds(0))
        _ = session.advance(now: .milliseconds(3000))
        session.leave()
        session.leave()
        let report = ReplayVerifier.verify(path: path, catalog: Fixtures.setup.catalog)
        #expect(report.status != .mismatch, "\(report)")
    }

    @Test func replayStorePicksAWritableFolderAndNamesFilesUniquely() throws {
        let folder = NSTemporaryDirectory() + "ui-store-\(getpid())/deeper"
        defer { try? FileManager.default.removeItem(atPath: NSTemporaryDirectory() + "ui-store-\(getpid())") }
        let store = try #require(ReplayStore(requested: folder, environment: [:]))
        #expect(store.directory == folder)
        let first = try store.makeWriter(gameName: "snake", tickRate: 10)
        let second = try store.makeWriter(gameName: "snake", tickRate: 10)
        #expect(first.path != second.path)
        #expect(first.path.hasPrefix(folder + "/snake-"))
        let fallback = try #require(ReplayStore(requested: "/proc/not-writable", environment: [:]))
        #expect(fallback.directory == "/tmp/meshplay-replays")
    }
}
