import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import Blast

@Suite("Determinism and long games")
struct DeterminismTests {
    static let mixed: [BotSkill] = [.normal, .hard, .easy, .random, .normal, .hard, .easy, .random]

    @Test func sameSeedGivesTheSameChecksumsOverTwoThousandTicks() async throws {
        try await OffThePool.compute {
            let rules = try BlastRules(config: .standard(map: BlastMap.builtin("plaza")!))
            let first = try botGameChecksums(rules: rules, skills: Self.mixed, seed: 42, ticks: 2_000)
            let second = try botGameChecksums(rules: rules, skills: Self.mixed, seed: 42, ticks: 2_000)
            #expect(first == second)
            let other = try botGameChecksums(rules: rules, skills: Self.mixed, seed: 43, ticks: 2_000)
            #expect(first != other)
            #expect(Set(first).count > 1_000, "checksums change as the game moves")
        }
    }

    @Test func theSeedAloneChangesTheGame() throws {
        // Same bots, same bot seeds, another match seed: the crates hide other things.
        let rules = try BlastRules(config: .standard())
        let a = try rules.initialState(players: testPlayers(2), seed: 1)
        let b = try rules.initialState(players: testPlayers(2), seed: 2)
        #expect(rules.checksum(of: a) != rules.checksum(of: b))
        #expect(rules.checksum(of: a) == rules.checksum(of: try rules.initialState(players: testPlayers(2), seed: 1)))
    }

    @Test func catalogGameMatchesTheRulesDirectly() throws {
        var catalog = GameCatalog()
        catalog.register(BlastRules.self)
        let config = BlastConfig.standard()
        let rules = try BlastRules(config: config)
        let game = try catalog.makeGame(BlastRules.identity, config: config.canonicalBytes, players: testPlayers(4), seed: 8)
        let bots = (0 ..< 4).map { game.makeBot(slot: PlayerSlot($0), seed: 100 + UInt64($0), skill: .normal) }
        var state = try rules.initialState(players: testPlayers(4), seed: 8)
        for _ in 0 ..< 500 {
            let inputs = bots.map { $0.nextInput(in: game) }
            game.step(inputs: inputs)
            rules.step(&state, inputs: inputs)
            #expect(game.checksum() == rules.checksum(of: state))
        }
        #expect(game.stateBytes().count > 100)
        #expect(game.describeState() == rules.describe(state))
    }

    @Test func eightBotsPlayThreeThousandTicksConsistently() async throws {
        try await OffThePool.compute {
            let rules = try BlastRules(config: .standard(map: BlastMap.builtin("plaza")!, matchTicks: 3_000))
            var state = try rules.initialState(players: testPlayers(8), seed: 7)
            var bots = Self.mixed.enumerated().map { BlastBot(rules: rules, slot: PlayerSlot($0.offset), seed: UInt64($0.offset), skill: $0.element) }
            var inputs = [PlayerInput](repeating: .none, count: 8)
            var ticks = 0
            while rules.outcome(of: state) == nil {
                for index in bots.indices { inputs[index] = bots[index].nextInput(rules: rules, state: state) }
                rules.step(&state, inputs: inputs)
                ticks += 1
                if let broken = rules.brokenInvariant(state) {
                    Issue.record("tick \(state.tick): \(broken)")
                    return
                }
            }
            let outcome = try #require(rules.outcome(of: state))
            print("8 bots on plaza: \(outcome.reason) after \(ticks) ticks, winner \(outcome.winner.map(\.description) ?? "none"), "
                  + "kills \(state.players.map(\.kills)), crates left \(state.terrain.filter(Terrain.isCrate).count)")
            #expect(ticks <= 3_000)
            #expect(state.players.contains { $0.powerUpsTaken > 0 }, "bots pick up power-ups")
            #expect(state.players.contains { $0.status == .dead }, "a crowded board sees deaths")
        }
    }

    @Test func sixteenBotsPlayOnTheStadium() async throws {
        try await OffThePool.compute {
            let rules = try BlastRules(config: .standard(map: BlastMap.builtin("stadium")!, matchTicks: 1_500))
            let skills = (0 ..< 16).map { Self.mixed[$0 % Self.mixed.count] }
            let checksums = try botGameChecksums(rules: rules, skills: skills, seed: 16, ticks: 1_500)
            #expect(checksums.count == 1_500)
        }
    }

    @Test func botIsDeterministicGivenItsSeed() throws {
        let rules = try BlastRules(config: .standard())
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.step(&state, bomb, idle)
        for skill in BotSkill.allCases {
            var first = BlastBot(rules: rules, slot: PlayerSlot(0), seed: 9, skill: skill)
            var second = BlastBot(rules: rules, slot: PlayerSlot(0), seed: 9, skill: skill)
            let a = (0 ..< 50).map { _ in first.nextInput(rules: rules, state: state) }
            let b = (0 ..< 50).map { _ in second.nextInput(rules: rules, state: state) }
            #expect(a == b, "\(skill)")
        }
    }
}
