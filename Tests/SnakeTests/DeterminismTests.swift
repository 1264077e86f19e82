import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import Snake

@Suite("Determinism and bots")
struct DeterminismTests {
    static let mixed: [BotSkill] = [.normal, .hard, .easy, .random, .normal, .hard, .easy, .random]

    @Test func sameSeedAndInputsGiveTheSameChecksums() throws {
        let rules = try SnakeRules(config: .standard(map: SnakeMap.builtin("maze")!))
        let first = try botGameChecksums(rules: rules, skills: Self.mixed, seed: 42, ticks: 400)
        let second = try botGameChecksums(rules: rules, skills: Self.mixed, seed: 42, ticks: 400)
        #expect(first == second)
        let other = try botGameChecksums(rules: rules, skills: Self.mixed, seed: 43, ticks: 400)
        #expect(first != other)
        #expect(Set(first).count > 390, "checksums change as the game moves")
    }

    @Test func catalogGameMatchesTheRulesDirectly() throws {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        let config = SnakeConfig.standard(map: SnakeMap.builtin("walled")!)
        let rules = try SnakeRules(config: config)
        let game = try catalog.makeGame(SnakeRules.identity, config: config.canonicalBytes, players: testPlayers(4), seed: 8)
        let bots = (0 ..< 4).map { game.makeBot(slot: PlayerSlot($0), seed: 100 + UInt64($0), skill: .normal) }
        var state = try rules.initialState(players: testPlayers(4), seed: 8)
        for _ in 0 ..< 300 {
            let inputs = bots.map { $0.nextInput(in: game) }
            game.step(inputs: inputs)
            rules.step(&state, inputs: inputs)
            #expect(game.checksum() == rules.checksum(of: state))
        }
    }

    @Test(arguments: ["open", "walled", "maze"])
    func boardStaysConsistentUnderEightBots(mapName: String) async throws {
        try await OffThePool.compute {
            let rules = try SnakeRules(config: .standard(map: SnakeMap.builtin(mapName)!))
            var state = try rules.initialState(players: testPlayers(8), seed: 7)
            var bots = Self.mixed.enumerated().map { SnakeBot(rules: rules, slot: PlayerSlot($0.offset), seed: UInt64($0.offset), skill: $0.element) }
            var deaths = 0
            for tick in 0 ..< 1_500 {
                let inputs = bots.indices.map { bots[$0].nextInput(rules: rules, state: state) }
                rules.step(&state, inputs: inputs)
                if let broken = rules.brokenInvariant(state) {
                    Issue.record("tick \(tick): \(broken)")
                    return
                }
                deaths = state.snakes.reduce(0) { $0 + $1.deaths }
            }
            #expect(deaths > 0, "a crowded board sees deaths and respawns")
            #expect(state.snakes.contains { $0.foodEaten > 5 })
        }
    }

    @Test func sixteenBotsPlayOnArena16() throws {
        let rules = try SnakeRules(config: .standard(map: SnakeMap.builtin("arena16")!))
        let skills = Array(repeating: BotSkill.normal, count: 16)
        let checksums = try botGameChecksums(rules: rules, skills: skills, seed: 16, ticks: 300)
        #expect(checksums.count == 300)
    }

    @Test func botIsDeterministicGivenItsSeed() throws {
        let rules = try SnakeRules(config: .standard())
        let state = try rules.initialState(players: testPlayers(2), seed: 1)
        for skill in BotSkill.allCases {
            var first = SnakeBot(rules: rules, slot: PlayerSlot(0), seed: 9, skill: skill)
            var second = SnakeBot(rules: rules, slot: PlayerSlot(0), seed: 9, skill: skill)
            let a = (0 ..< 50).map { _ in first.nextInput(rules: rules, state: state) }
            let b = (0 ..< 50).map { _ in second.nextInput(rules: rules, state: state) }
            #expect(a == b, "\(skill)")
        }
    }

    @Test func normalBotBeatsTheRandomMover() async throws {
        try await OffThePool.compute {
            let rules = try SnakeRules(config: .standard(map: .standard, matchTicks: 1_000))
            var wins = 0
            for game in 0 ..< 10 {
                let normalSlot = game % 2
                var skills: [BotSkill] = [.random, .random]
                skills[normalSlot] = .normal
                var state = try rules.initialState(players: testPlayers(2), seed: UInt64(game))
                var bots = skills.enumerated().map { SnakeBot(rules: rules, slot: PlayerSlot($0.offset), seed: UInt64(1000 + game * 2 + $0.offset), skill: $0.element) }
                while rules.outcome(of: state) == nil {
                    let inputs = bots.indices.map { bots[$0].nextInput(rules: rules, state: state) }
                    rules.step(&state, inputs: inputs)
                }
                if rules.outcome(of: state)?.winner == PlayerSlot(normalSlot) { wins += 1 }
            }
            #expect(wins >= 8)
        }
    }
}
