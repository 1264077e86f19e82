import Bots
import Dispatch
import Foundation
import MeshTransport
import MeshplayCore
import Replay
import Testing
@testable import TerminalUI

/// A local room played by real bot peers on loopback: the bots come up in this process,
/// the player joins them over UDP, and everyone plays the same short match to its end.
/// Every wait has a deadline. The deadlines are generous: the launch and the polling run on
/// Swift's cooperative pool (two threads here), which the synchronous end-to-end tests can
/// hold for tens of seconds when they run alongside.
@Suite(.serialized) struct LoopbackRoomTests {
    /// 60 ticks at 20 Hz: three seconds of play.
    static let settings = RoomSettings(mapName: "open", bots: 2, matchSeconds: 3, tickRate: 20)

    static func members(bots: Int) -> [RoomMember] {
        [RoomMember(name: "tess", isBot: false, isLocalPlayer: true, ready: true, pingMilliseconds: nil)]
            + (1 ... bots).map { RoomMember(name: "bot\($0)", isBot: true, isLocalPlayer: false, ready: true, pingMilliseconds: nil) }
    }

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

    @Test func aNetworkSessionPlaysTheLoopbackRoomToTheEndAndEveryoneAgrees() async throws {
        let folder = NSTemporaryDirectory() + "loopback-room-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let mapPath = folder + "/tiny.map"
        try Self.customMap.write(toFile: mapPath, atomically: true, encoding: .utf8)
        var settings = Self.settings
        settings.mapName = mapPath

        let launch = try LoopbackLaunch(settings: settings, members: Self.members(bots: 2), setup: Fixtures.setup,
                                        skill: .normal, seed: 5)
        let room = try await Self.poll("the bots up", seconds: 120) { () -> LoopbackBotRoom? in
            switch launch.state {
            case .launching: return nil
            case .ready(let room): return room
            case .failed(let reason): throw GameSetupError(reason)
            }
        }
        defer { room.close(waitingAtMost: 2) }
        #expect(room.shells.count == 2)
        #expect(room.address.ipAddress == "127.0.0.1")

        let session = try NetworkPlaySession(join: NetworkJoin(peers: [room.hostAndPort], room: room.roomName, password: nil, port: 0),
                                             name: "tess", catalog: Fixtures.setup.catalog, replaysDirectory: folder,
                                             log: FileLog(path: nil), ready: true)
        defer { session.leave() }
        var sawPing = false
        let replayPath = try await Self.poll("the match to finish", seconds: 120) { () -> String? in
            for event in session.advance(now: .monotonicNow) {
                switch event {
                case .finished(_, let path): return path ?? ""
                case .failed(let reason): throw GameSetupError(reason)
                default: break
                }
            }
            if session.hasStarted, session.status.peers.count == 2, session.status.peers.allSatisfy({ $0.pingMilliseconds != nil }) {
                sawPing = true
            }
            return nil
        }
        #expect(sawPing, "the status showed both bots' pings")
        #expect(!session.status.isLocal)
        #expect(session.players.map(\.name).sorted() == ["bot1", "bot2", "tess"])
        #expect(session.view.width == 14 && session.view.height == 6, "the custom map is played")

        // Leaving waits (boundedly) for the peer to finish lingering and close its replay.
        session.leave()
        let report = ReplayVerifier.verify(path: replayPath, catalog: Fixtures.setup.catalog)
        #expect(report.status == .ok, "\(report)")
        #expect(report.ticks == 60)
        // The bots finish by themselves (after lingering for slower peers) and report their final state.
        let finished = Reports()
        for shell in room.shells { shell.finished.whenSuccess { finished.add($0) } }
        let bots = try await Self.poll("the bots to finish", seconds: 30) { () -> [BotReport]? in
            let done = finished.all
            return done.count == room.shells.count ? done : nil
        }
        for bot in bots {
            #expect(bot.status == .done, "\(bot.name): \(bot.status)")
            #expect(bot.results.first?.finalChecksum == report.finalChecksum, "\(bot.name) agrees with the player's replay")
            #expect(bot.results.first?.desyncs == 0)
        }
    }

    @Test func theControllerStartsALocalRoomWithLoopbackBotsAndShowsTheirPings() async throws {
        let folder = NSTemporaryDirectory() + "loopback-controller-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var model = Fixtures.model()
        model.openLocalRoom(Self.settings)
        let controller = ClientController(model: model, setup: Fixtures.setup, replays: ReplayStore(requested: folder, environment: [:]),
                                          log: FileLog(path: nil), seedSource: { 42 })
        defer { controller.shutdown() }
        _ = controller.handle(.character("r"), now: .monotonicNow)
        var statusLines: [String] = []
        try await Self.poll("the results screen", seconds: 120) { () -> Bool? in
            _ = controller.advance(now: .monotonicNow)
            if let status = controller.session?.status, !status.isLocal { statusLines.append(StatusLine.text(status)) }
            return controller.model.screen == .results ? true : nil
        }
        #expect(statusLines.contains { $0.range(of: #"bot1 \d+ms"#, options: .regularExpression) != nil }, "\(statusLines.suffix(3))")
        controller.shutdown()
        let recorded = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".mpr") }
        let replay = try #require(recorded.first, "a replay in \(folder)")
        let report = ReplayVerifier.verify(path: folder + "/" + replay, catalog: Fixtures.setup.catalog)
        #expect(report.status == .ok, "\(report)")
        #expect(report.players.count == 3)
    }

    @Test func aConfigurationTooBigForARoomIsRefusedBeforeBinding() async throws {
        let game = LoopbackBotRoom.Game(roomName: "big", identity: Fixtures.setup.catalog.identities[0], mapName: "big",
                                        configBytes: [UInt8](repeating: 1, count: 3000), tickRate: 20, matchLengthTicks: 60)
        await #expect(throws: LoopbackBotRoom.Refusal.self) {
            try await LoopbackBotRoom.launch(game, botNames: ["bot1"], skill: .easy, seed: 1, catalog: Fixtures.setup.catalog)
        }
    }

    /// A map whose configuration a room cannot carry: the match is played in process, and the room says why.
    @Test func botsThatCannotStartOnLoopbackPlayInProcess() async throws {
        let folder = NSTemporaryDirectory() + "loopback-fallback-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // Striped floor and wall: one encoded run per cell, far over a room's 2048 bytes.
        let row = String(repeating: ".#", count: 38)
        let spawnRow = "v#v#" + String(row.dropFirst(4))
        let mapPath = folder + "/striped.map"
        try ([spawnRow] + Array(repeating: row, count: 39)).joined(separator: "\n").write(toFile: mapPath, atomically: true, encoding: .utf8)
        var model = Fixtures.model()
        model.openLocalRoom(RoomSettings(mapName: mapPath, bots: 1, matchSeconds: 3, tickRate: 20))
        let controller = ClientController(model: model, setup: Fixtures.setup, replays: nil, log: FileLog(path: nil), seedSource: { 42 })
        defer { controller.shutdown() }
        _ = controller.handle(.character("r"), now: .monotonicNow)
        try await Self.poll("the in-process match", seconds: 60) { () -> Bool? in
            _ = controller.advance(now: .monotonicNow)
            return controller.session == nil ? nil : true
        }
        #expect(controller.session is LocalPlaySession)
        #expect(controller.model.screen == .game)
        let notices = controller.model.room?.chat.lines.map(\.text) ?? []
        #expect(notices.contains { $0.contains("could not start on loopback") }, "\(notices)")
    }

    /// Calls `body` every few milliseconds until it returns a value; fails after `seconds`.
    @discardableResult
    static func poll<Value>(_ what: String, seconds: Double, _ body: () throws -> Value?) async throws -> Value {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if let value = try body() { return value }
            try await Task.sleep(for: .milliseconds(5))
        }
        throw GameSetupError("timed out after \(seconds) s waiting for \(what)")
    }
}

/// Bot reports as they arrive from the event loop.
private final class Reports: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [BotReport] = []

    func add(_ report: BotReport) {
        lock.lock()
        defer { lock.unlock() }
        reports.append(report)
    }

    var all: [BotReport] {
        lock.lock()
        defer { lock.unlock() }
        return reports
    }
}
