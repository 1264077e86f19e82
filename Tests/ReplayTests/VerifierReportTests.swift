import MeshplayCore
import Replay
import Testing

@Suite("Verifier reports")
struct VerifierReportTests {
    @Test("a replay of an unknown game or an unsupported version is malformed with a clear reason")
    func unknownGame() throws {
        let match = try recordMatch(standardScript())
        let empty = ReplayVerifier.verify(bytes: match.bytes, catalog: GameCatalog())
        #expect(empty.status == .malformed)
        #expect(empty.error?.reason == "unknown game \"grid-walker\"")
        #expect(empty.game == GridWalker.identity)
        #expect(empty.players.count == 4)

        struct NewerWalker: GameRules {
            typealias Config = GridWalker.Config
            typealias State = GridWalker.State
            typealias Bot = NewerBot
            static let identity = GameIdentity(id: "grid-walker", version: 2)
            static let controls = GameControls(bindings: [], holdsLastInput: true, helpLines: [])
            let inner: GridWalker
            var config: Config { inner.config }
            init(config: Config) throws { inner = try GridWalker(config: config) }
            var maxPlayers: Int { inner.maxPlayers }
            func initialState(players: [PlayerInfo], seed: UInt64) throws -> State { try inner.initialState(players: players, seed: seed) }
            func step(_ state: inout State, inputs: [PlayerInput]) { inner.step(&state, inputs: inputs) }
            func removePlayer(_ slot: PlayerSlot, from state: inout State) { inner.removePlayer(slot, from: &state) }
            func encodeState(_ state: State, to encoder: inout some CanonicalEncoder) { inner.encodeState(state, to: &encoder) }
            func outcome(of state: State) -> GameOutcome? { inner.outcome(of: state) }
            func view(of state: State, players: [PlayerInfo]) -> GameView { inner.view(of: state, players: players) }
            func describe(_ state: State) -> String { inner.describe(state) }
        }
        struct NewerBot: GameBot {
            typealias Rules = NewerWalker
            init(rules: NewerWalker, slot: PlayerSlot, seed: UInt64, skill: BotSkill) {}
            mutating func nextInput(rules: NewerWalker, state: GridWalker.State) -> PlayerInput { .none }
        }
        var newer = GameCatalog()
        newer.register(NewerWalker.self)
        let report = ReplayVerifier.verify(bytes: match.bytes, catalog: newer)
        #expect(report.status == .malformed)
        #expect(report.error?.reason == "game grid-walker version 1 is not supported (this build has v2)")
    }

    @Test("reports print as one readable line and as JSON")
    func rendering() throws {
        let match = try recordMatch(standardScript())
        var report = ReplayVerifier.verify(bytes: match.bytes, catalog: testCatalog)
        report.file = "games/a \"b\".mpr"
        #expect(report.description == "games/a \"b\".mpr: ok, grid-walker v1, 4 players (ann, bo, cy, di), 300 ticks, final checksum \(match.finalChecksum)")
        #expect(report.json == """
            {"file": "games/a \\"b\\".mpr", "status": "ok", "game": {"id": "grid-walker", "version": 1}, \
            "players": ["ann", "bo", "cy", "di"], "ticks": 300, "finalChecksum": "\(match.finalChecksum)", \
            "firstBadTick": null, "expectedChecksum": null, "actualChecksum": null, "mismatchDetail": null, \
            "truncated": false, "endedEarly": null, "attested": null, "badAttestation": null, "error": null}
            """)
        let broken = ReplayVerifier.verify(bytes: [1, 2, 3], catalog: testCatalog)
        #expect(broken.description == "malformed, 0 ticks, error at byte 0: not a Meshplay replay (bad magic)")
        #expect(broken.json.contains("\"error\": {\"offset\": 0, \"reason\": \"not a Meshplay replay (bad magic)\"}"))
        let array = VerificationReport.json([report, broken])
        #expect(array.hasPrefix("[\n  {"))
        #expect(array.hasSuffix("}\n]"))
    }

    @Test("names with control, bidi or invisible characters cannot drive the terminal or disguise a name")
    func controlCharacters() throws {
        var report = VerificationReport(status: .ok, players: [
            PlayerInfo(slot: PlayerSlot(0), name: "evil\u{1B}[2J"), PlayerInfo(slot: PlayerSlot(1), name: "gpj.\u{202E}exe\u{200B}"),
            PlayerInfo(slot: PlayerSlot(2), name: "tag\u{E0041}\u{E007F}\u{3164}"),
        ])
        report.ticks = 1
        report.endedEarly = "quit\u{7}\u{2066}"
        for text in [report.description, report.json] {
            #expect(!text.unicodeScalars.contains { ChatText.isForbidden($0) }, "\(text)")
        }
        #expect(report.description.contains("evil\u{FFFD}[2J"))
        #expect(report.json.contains("gpj.\u{FFFD}exe\u{FFFD}"))
        #expect(report.description.contains("tag\u{FFFD}\u{FFFD}\u{FFFD}"), "tag characters and blank fillers are shown, not hidden: \(report)")
        #expect(report.description.contains("ended early at tick 1: quit\u{FFFD}\u{FFFD}"))
    }

    @Test("a match that ended early verifies, and says when and why")
    func endedEarly() throws {
        let played = try recordMatch(standardScript())
        #expect(try ReplayFile(bytes: played.bytes).trailer?.endedEarly == nil, "a played-out match has no early ending")
        var script = standardScript()
        script.ticks = 120
        script.endedEarly = "left the match"
        let quit = try recordMatch(script)
        #expect(try ReplayFile(bytes: quit.bytes).trailer?.endedEarly == "left the match")
        let report = ReplayVerifier.verify(bytes: quit.bytes, catalog: testCatalog)
        #expect(report.status == .ok, "\(report)")
        #expect(!report.isTruncated)
        #expect(report.endedEarly == "left the match")
        #expect(report.description.hasSuffix("120 ticks, final checksum \(quit.finalChecksum), ended early at tick 120: left the match"), "\(report)")
        #expect(report.json.contains("\"endedEarly\": \"left the match\""))
        // The reason is covered by the check chain like every other byte.
        var damaged = quit.bytes
        damaged[damaged.count - 12] ^= 0x01
        #expect(ReplayVerifier.verify(bytes: damaged, catalog: testCatalog).status == .malformed)
    }

    @Test("progress is reported up to the total")
    func progress() throws {
        var script = standardScript()
        script.ticks = 70_000
        script.config = GridWalker.Config(length: 1_000_000)
        script.events = []
        let match = try recordMatch(script)
        var calls: [(Int, Int)] = []
        let report = ReplayVerifier.verify(bytes: match.bytes, catalog: testCatalog) { done, total in calls.append((done, total)) }
        #expect(report.status == .ok)
        #expect(calls.count >= 2)
        #expect(calls.allSatisfy { $0.1 == 70_000 })
        #expect(calls.last?.0 == 70_000)
    }
}
