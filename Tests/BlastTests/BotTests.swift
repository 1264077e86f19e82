import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import Blast

@Suite("Bot brain")
struct BotTests {
    /// Plays a whole match of `skills` on `rules`; returns the outcome and how often inputs changed.
    static func play(_ rules: BlastRules, _ skills: [BotSkill], seed: UInt64) throws -> (outcome: GameOutcome, state: BlastState, changes: Int, ticks: Int) {
        var state = try rules.initialState(players: testPlayers(skills.count), seed: seed)
        var bots = skills.enumerated().map {
            BlastBot(rules: rules, slot: PlayerSlot($0.offset), seed: seed &* 31 &+ UInt64($0.offset), skill: $0.element)
        }
        var inputs = [PlayerInput](repeating: .none, count: skills.count)
        var changes = 0
        var ticks = 0
        while rules.outcome(of: state) == nil {
            for index in bots.indices {
                let input = bots[index].nextInput(rules: rules, state: state)
                if input != inputs[index] { changes += 1 }
                inputs[index] = input
            }
            rules.step(&state, inputs: inputs)
            ticks += 1
        }
        return (rules.outcome(of: state)!, state, changes, ticks)
    }

    @Test func normalBotBeatsTheRandomMover() throws {
        let rules = try BlastRules(config: .standard(matchTicks: 3_000))
        var wins = 0
        var winsByKill = 0
        var ticks = 0
        let games = 20
        for game in 0 ..< games {
            let normalSlot = game % 2
            var skills: [BotSkill] = [.random, .random]
            skills[normalSlot] = .normal
            let result = try Self.play(rules, skills, seed: UInt64(game))
            if result.outcome.winner == PlayerSlot(normalSlot) {
                wins += 1
                if result.state.players[normalSlot].kills > 0 { winsByKill += 1 }
            }
            ticks += result.ticks
        }
        print("normal bot beat the random mover in \(wins) of \(games) games (\(wins * 100 / games)%), \(winsByKill) by a kill, "
              + "\(ticks / games) ticks a game on average")
        #expect(wins * 100 >= games * 70)
    }

    /// The random mover mostly blows itself up; this one never drops a bomb, so only the
    /// hunter's blasts can end it.
    @Test func normalBotHuntsDownAWandererThatNeverBombs() async throws {
        try await OffThePool.compute {
            let rules = try BlastRules(config: .standard(matchTicks: 3_000))
            var kills = 0
            let games = 10
            for game in 0 ..< games {
                var state = try rules.initialState(players: testPlayers(2), seed: 900 + UInt64(game))
                var hunter = BlastBot(rules: rules, slot: PlayerSlot(0), seed: UInt64(game), skill: .normal)
                var wanderer = BlastBot(rules: rules, slot: PlayerSlot(1), seed: UInt64(game) + 50, skill: .random)
                while rules.outcome(of: state) == nil {
                    let move = BlastInput(wanderer.nextInput(rules: rules, state: state)).move
                    rules.step(&state, inputs: [hunter.nextInput(rules: rules, state: state), BlastInput(move: move).playerInput])
                }
                if state.players[0].kills == 1 && state.players[0].status == .alive { kills += 1 }
            }
            print("normal bot caught a bombless random wanderer in \(kills) of \(games) games")
            #expect(kills * 2 >= games)
        }
    }

    @Test func normalBotBeatsTheEasyBotMoreOftenThanNot() async throws {
        try await OffThePool.compute {
            let rules = try BlastRules(config: .standard(matchTicks: 3_000))
            var normalWins = 0
            var easyWins = 0
            for game in 0 ..< 10 {
                let normalSlot = game % 2
                var skills: [BotSkill] = [.easy, .easy]
                skills[normalSlot] = .normal
                let winner = try Self.play(rules, skills, seed: 500 + UInt64(game)).outcome.winner
                if winner == PlayerSlot(normalSlot) { normalWins += 1 } else if winner != nil { easyWins += 1 }
            }
            print("normal vs easy: \(normalWins) wins, \(easyWins) losses, \(10 - normalWins - easyWins) draws")
            #expect(normalWins >= easyWins)
        }
    }

    @Test func aLoneBotBreaksCratesTakesPowerUpsAndSurvives() async throws {
        try await OffThePool.compute {
            let rules = try BlastRules(config: .standard(matchTicks: 3_000))
            for skill in [BotSkill.easy, .normal, .hard] {
                let result = try Self.play(rules, [skill], seed: 3)
                let cratesLeft = result.state.terrain.filter(Terrain.isCrate).count
                print("\(skill) alone: \(rules.config.map.crateCount - cratesLeft) of \(rules.config.map.crateCount) crates broken, "
                      + "\(result.state.players[0].powerUpsTaken) power-ups, status \(result.state.players[0].status)")
                #expect(result.state.players[0].status == .alive, "\(skill) blew itself up")
                #expect(cratesLeft < rules.config.map.crateCount / 2, "\(skill) broke few crates")
                #expect(result.state.players[0].powerUpsTaken > 2)
            }
        }
    }

    @Test func botInputsStayCheapToRecord() async throws {
        try await OffThePool.compute {
            let rules = try BlastRules(config: .standard(map: BlastMap.builtin("plaza")!, matchTicks: 3_000))
            let skills: [BotSkill] = [.normal, .hard, .easy, .normal, .hard, .easy, .normal, .hard]
            let result = try Self.play(rules, skills, seed: 12)
            let perPlayerTick = Double(result.changes) / Double(result.ticks * skills.count)
            print("8 planning bots: \(result.changes) input changes in \(result.ticks) ticks (\(perPlayerTick) per player-tick)")
            // A changed input costs a byte or two in a replay; a repeated one costs nothing.
            #expect(perPlayerTick < 0.5)
        }
    }

    @Test func botGetsOutOfTheWayOfABomb() throws {
        let rules = try testRules("""
            #########
            #1......#
            #.#.#.#.#
            #...2...#
            #########
            """, fuseTicks: 6, startRange: 3)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.step(&state, idle, bomb)  // P2's bomb on 4,3 threatens row 3 and column 4
        rules.teleport(0, to: point(3, 3), in: &state)
        var bot = BlastBot(rules: rules, slot: PlayerSlot(0), seed: 1, skill: .normal)
        var p2 = BlastBot(rules: rules, slot: PlayerSlot(1), seed: 2, skill: .normal)
        for _ in 0 ..< 8 {
            let inputs = [bot.nextInput(rules: rules, state: state), p2.nextInput(rules: rules, state: state)]
            rules.step(&state, inputs: inputs)
        }
        #expect(state.status(of: PlayerSlot(0)) == .alive)
        #expect(state.status(of: PlayerSlot(1)) == .alive)
    }
}
