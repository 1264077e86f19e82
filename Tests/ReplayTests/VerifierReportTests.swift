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
            "truncated": false, "error": null}
            """)
        let broken = ReplayVerifier.verify(bytes: [1, 2, 3], catalog: testCatalog)
        #expect(broken.description == "malformed, 0 ticks, error at byte 0: not a Meshplay replay (bad magic)")
        #expect(broken.json.contains("\"error\": {\"offset\": 0, \"reason\": \"not a Meshplay replay (bad magic)\"}"))
        let array = VerificationReport.json([report, broken])
        #expect(array.hasPrefix("[\n  {"))
        #expect(array.hasSuffix("}\n]"))
    }

    @Test("names with control characters cannot drive the terminal")
    func controlCharacters() throws {
        var report = VerificationReport(status: .ok, players: [PlayerInfo(slot: PlayerSlot(0), name: "evil\u{1B}[2J")])
        report.ticks = 1
        #expect(!report.description.contains("\u{1B}"))
        #expect(report.json.contains("evil\\u001b[2J"))
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
