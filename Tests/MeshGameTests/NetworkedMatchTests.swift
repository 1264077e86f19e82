import MeshplayTestSupport
import Netplay
import Simulation
import Foundation
import Lockstep
import MeshTransport
import MeshplayCore
import Replay
import Snake
import Testing

/// Real link cores + lockstep + snake bots over the simulated network.
@Suite("Networked matches over the simulated network")
struct NetworkedMatchTests {
    static func play(players: Int, options: NetworkedMatchOptions) throws -> (NetworkedMatch, NetworkedMatchReport) {
        let rules = try SnakeRules(config: SnakeConfig.standard(map: .standard, matchTicks: options.ticks))
        let seats = (0..<players).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0 + 1)") }
        let match = try NetworkedMatch(players: players, options: options, catalog: catalog) {
            try GameInstance(rules: rules, players: seats, seed: options.seed)
        }
        let finished = match.run()
        return (match, NetworkedMatchReport(match: match, finished: finished))
    }

    static func replayPaths(_ players: Int, tag: String) -> [String?] {
        let directory = FileManager.default.temporaryDirectory.path + "/meshgame-\(tag)-\(getpid())"
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return (0..<players).map { "\(directory)/peer-\($0).mpr" }
    }

    static var catalog: GameCatalog {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        return catalog
    }

    @Test("no desync and identical, verifying replays", arguments: [
        NetworkConditions(latency: .milliseconds(20)),
        NetworkConditions(latency: .milliseconds(50), jitter: .milliseconds(10), loss: 0.2),
        NetworkConditions(latency: .milliseconds(80), jitter: .milliseconds(30), loss: 0.1, duplication: 0.2, reordering: 0.2),
    ])
    func agreement(conditions: NetworkConditions) async throws {
        try await OffThePool.compute {
            let paths = Self.replayPaths(4, tag: "agree-\(conditions.lossPerMillion)-\(conditions.duplicatePerMillion)")
            let options = NetworkedMatchOptions(ticks: 300, seed: 9, conditions: conditions, replayPaths: paths)
            let (_, report) = try Self.play(players: 4, options: options)
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.desyncs == 0)
            var finals: [StateChecksum?] = []
            for path in paths.compactMap({ $0 }) {
                let verification = ReplayVerifier.verify(path: path, catalog: Self.catalog)
                #expect(verification.status == .ok, "\(verification)")
                finals.append(verification.finalChecksum)
            }
            #expect(Set(finals.map { $0?.rawValue }).count == 1)
            #expect(finals.first! == report.finalChecksum)
        }
    }

    @Test("a crash mid-game is an agreed drop; replays record the leave and verify")
    func crash() async throws {
        try await OffThePool.compute {
            let paths = Self.replayPaths(4, tag: "crash")
            let options = NetworkedMatchOptions(
                ticks: 400, seed: 4, conditions: NetworkConditions(latency: .milliseconds(30), loss: 0.1),
                crashes: [.init(slot: 2, tick: 100)], linkTimeout: .seconds(2), replayPaths: paths)
            let (_, report) = try Self.play(players: 4, options: options)
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.droppedPlayers == [2])
            for slot in [0, 1, 3] {
                let verification = ReplayVerifier.verify(path: paths[slot]!, catalog: Self.catalog)
                #expect(verification.status == .ok, "\(verification)")
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: paths[slot]!)))
                #expect(verification.finalChecksum == report.finalChecksum)
                #expect(!bytes.isEmpty)
            }
        }
    }

    @Test("in-game chat is identical on all peers and recorded")
    func chat() async throws {
        try await OffThePool.compute {
            let options = NetworkedMatchOptions(
                ticks: 200, seed: 5, conditions: NetworkConditions(latency: .milliseconds(40), loss: 0.2, duplication: 0.1),
                chats: [(slot: 1, tick: 50, text: "hello"), (slot: 3, tick: 60, text: "gg")])
            let (match, report) = try Self.play(players: 4, options: options)
            #expect(report.failures.isEmpty, "\(report.failures)")
            for peer in match.peers {
                let lines = (peer.recorder?.events ?? []).compactMap { event -> String? in
                    if case .chat(let slot, let text, _) = event { "\(slot.index):\(text)" } else { nil }
                }
                #expect(lines == ["1:hello", "3:gg"])
            }
        }
    }

    @Test("a networked replay records the crash as a leave and the chat lines, at the agreed ticks, and verifies")
    func replayRecordsLeaveAndChat() async throws {
        try await OffThePool.compute {
            let paths = Self.replayPaths(4, tag: "events")
            let options = NetworkedMatchOptions(
                ticks: 400, seed: 6, conditions: NetworkConditions(latency: .milliseconds(30), jitter: .milliseconds(5), loss: 0.15),
                crashes: [.init(slot: 3, tick: 150)], linkTimeout: .seconds(2), replayPaths: paths,
                chats: [(slot: 0, tick: 40, text: "hi all"), (slot: 2, tick: 70, text: "gg ✓")])
            let (match, report) = try Self.play(players: 4, options: options)
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.droppedPlayers == [3])
            // What the survivors agreed on: the drop tick and each chat line's tick.
            let events = match.peers[0].recorder?.events ?? []
            let dropTick = events.compactMap { event -> Tick? in
                if case .dropped(let slot, let tick) = event, slot.index == 3 { tick } else { nil }
            }.first
            let chats = events.compactMap { event -> ReplayTimedEvent? in
                if case .chat(let slot, let text, let tick) = event { ReplayTimedEvent(tick: tick, event: .chat(slot: slot, text: text)) } else { nil }
            }
            #expect(chats.map(\.event) == [.chat(slot: PlayerSlot(0), text: "hi all"), .chat(slot: PlayerSlot(2), text: "gg ✓")])
            let leave = try #require(dropTick.map { ReplayTimedEvent(tick: $0, event: .leave(slot: PlayerSlot(3))) })
            for slot in 0..<3 {
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: paths[slot]!)))
                let file = try ReplayFile(bytes: bytes)
                #expect(file.events.filter { if case .leave = $0.event { true } else { false } } == [leave])
                #expect(file.events.filter { if case .chat = $0.event { true } else { false } } == chats)
                let verification = ReplayVerifier.verify(bytes: bytes, catalog: Self.catalog)
                #expect(verification.status == .ok, "\(verification)")
                #expect(verification.finalChecksum == report.finalChecksum)
            }
        }
    }
}

@Suite("A desync in a networked match")
struct NetworkedDesyncTests {
    @Test("peers whose games differ stop at the first checkpoint; each writes its state dump beside its replay")
    func desyncLeavesAStateDumpBesideTheReplay() throws {
        let paths = NetworkedMatchTests.replayPaths(3, tag: "desync")
        for path in paths.compactMap({ $0 }) {
            try? FileManager.default.removeItem(atPath: path + ".desync-29.txt")
        }
        let rules = try SnakeRules(config: SnakeConfig.standard(map: .standard, matchTicks: 300))
        let seats = (0..<3).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0 + 1)") }
        var made = 0
        let options = NetworkedMatchOptions(ticks: 300, seed: 5, replayPaths: paths)
        // The third seat's game starts from another seed: the same inputs give another state.
        let match = try NetworkedMatch(players: 3, options: options, catalog: NetworkedMatchTests.catalog) {
            made += 1
            return try GameInstance(rules: rules, players: seats, seed: made == 3 ? 6 : 5)
        }
        let report = NetworkedMatchReport(match: match, finished: match.run())
        #expect(report.desyncs > 0)
        var dumps: [String] = []
        for path in paths.compactMap({ $0 }) {
            // The first checkpoint: the state after stepping tick 29 (checksum interval 30).
            let dump = try String(contentsOfFile: path + ".desync-29.txt", encoding: .utf8)
            #expect(dump.hasPrefix("meshplay desync: desync at tick 29"), "\(dump.prefix(200))")
            dumps.append(dump.split(separator: "\n").dropFirst(2).joined(separator: "\n"))
        }
        #expect(dumps[0] == dumps[1], "the two agreeing peers dump the same state")
        #expect(dumps[2] != dumps[0])
        #expect(!dumps[0].isEmpty)
    }
}
