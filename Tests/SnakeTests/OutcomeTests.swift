import MeshplayCore
import Testing
@testable import Snake

@Suite("Outcome, ranking and leaving")
struct OutcomeTests {
    static let board = "########\n#>.....#\n#>.....#\n#>.....#\n#......#\n########\n"

    /// Three players; the clock is run out so the outcome is final.
    func finishedState(_ rules: SnakeRules) throws -> SnakeState {
        var state = try rules.initialState(players: testPlayers(3), seed: 2)
        rules.placeFood([(1, 4)], in: &state)
        state.tick = rules.config.matchTicks
        return state
    }

    @Test func noOutcomeUntilTheClockRunsOut() throws {
        let rules = try testRules(Self.board, matchTicks: 3)
        var state = try rules.initialState(players: testPlayers(3), seed: 2)
        rules.step(&state, [nil, nil, nil])
        rules.step(&state, [nil, nil, nil])
        #expect(rules.outcome(of: state) == nil)
        rules.step(&state, [nil, nil, nil])
        #expect(rules.outcome(of: state)?.reason == "time up")
    }

    @Test func higherScoreWinsAndKillsCountTheBonus() throws {
        let rules = try testRules(Self.board, killBonus: 3)
        var state = try finishedState(rules)
        state.snakes[0].foodEaten = 3
        state.snakes[1].foodEaten = 1
        state.snakes[1].kills = 1  // 1 + 3 = 4
        state.snakes[2].foodEaten = 2
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.placings.map(\.slot.index) == [1, 0, 2])
        #expect(outcome.placings.map(\.score) == [4, 3, 2])
        #expect(outcome.placings.map(\.place) == [1, 2, 3])
        #expect(outcome.winner == PlayerSlot(1))
    }

    @Test func tiedScoresGoToTheLongerSnakeThenFewerDeaths() throws {
        let rules = try testRules(Self.board)
        var state = try finishedState(rules)
        rules.placeSnake(2, [(1, 3), (2, 3)], heading: .right, in: &state)  // longest
        state.snakes[0].deaths = 2
        state.snakes[1].deaths = 1
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.placings.map(\.slot.index) == [2, 1, 0])
        #expect(outcome.winner == PlayerSlot(2))
    }

    @Test func fullTieIsADrawWithSharedPlaces() throws {
        let rules = try testRules(Self.board)
        var state = try finishedState(rules)
        state.snakes[2].foodEaten = 1
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.placings.map(\.slot.index) == [2, 0, 1])
        #expect(outcome.placings.map(\.place) == [1, 2, 2])
        state.snakes[2].foodEaten = 0
        let draw = try #require(rules.outcome(of: state))
        #expect(draw.placings.map(\.place) == [1, 1, 1])
        #expect(draw.winner == nil)
    }

    @Test func leavingTakesTheSnakeOffForGoodAndRanksLast() throws {
        let rules = try testRules(Self.board, respawnDelay: 1)
        var state = try rules.initialState(players: testPlayers(3), seed: 2)
        state.snakes[1].foodEaten = 50
        rules.removePlayer(PlayerSlot(1), from: &state)
        rules.removePlayer(PlayerSlot(1), from: &state)  // twice is harmless
        #expect(!state.grid.contains(CellCode.snake(1)))
        #expect(rules.brokenInvariant(state) == nil)
        for _ in 0 ..< 30 { rules.step(&state, [.right, .up, nil]) }
        #expect(state.snakes[1].status == .left)
        #expect(!state.grid.contains(CellCode.snake(1)))
        #expect(rules.view(of: state, players: testPlayers(3)).scoreboard.last?.status == "left")
        state.tick = rules.config.matchTicks
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.placings.last?.slot == PlayerSlot(1))
        #expect(outcome.placings.last?.score == 50)
    }

    @Test func matchEndsWhenEveryoneHasLeft() throws {
        let rules = try testRules(Self.board)
        var state = try rules.initialState(players: testPlayers(2), seed: 2)
        rules.removePlayer(PlayerSlot(0), from: &state)
        #expect(rules.outcome(of: state) == nil)
        rules.removePlayer(PlayerSlot(1), from: &state)
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.winner == nil)
        #expect(outcome.reason == "everyone left")
    }
}
