import MeshplayCore
import Testing
@testable import Blast

@Suite("Scoring, outcome and leaving")
struct OutcomeTests {
    /// Three players in a row with room to hide below.
    static let board = """
        #########
        #1..3..2#
        #.#.#.#.#
        #.......#
        #########
        """

    @Test func lastPlayerStandingWinsAtOnce() throws {
        let rules = try testRules(Self.board, fuseTicks: 2, startRange: 3)
        var state = try rules.initialState(players: testPlayers(3), seed: 1)
        // P3 drops a bomb on 4,1 and ducks out of its cross; P1 and P2 stay on the row.
        rules.step(&state, right, left, BlastInput.step(.left, bomb: true))  // P1 2,1; P2 6,1; P3 3,1
        rules.step(&state, idle, idle, down)  // P3 on 3,2
        #expect(rules.outcome(of: state) == nil)
        rules.step(&state, idle, idle, idle)  // tick 2: the blast covers the row from 1,1 to 7,1
        #expect(state.status(of: PlayerSlot(0)) == .dead && state.status(of: PlayerSlot(1)) == .dead)
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.winner == PlayerSlot(2))
        #expect(outcome.reason == "last player standing")
        #expect(outcome.placings.map(\.slot) == [PlayerSlot(2), PlayerSlot(0), PlayerSlot(1)])
        #expect(outcome.placings.map(\.score) == [2, 0, 0])
        #expect(outcome.placings.map(\.place) == [1, 2, 2], "P1 and P2 fell together with no kills")
        // After the match nothing changes.
        let before = rules.checksum(of: state)
        rules.step(&state, right, right, right)
        #expect(rules.checksum(of: state) == before)
    }

    @Test func atTimeUpStandingPlayersRankByKillsAndEqualKillsDraw() throws {
        let rules = try testRules(Self.board, matchTicks: 10)
        var state = try rules.initialState(players: testPlayers(3), seed: 1)
        rules.wait(&state, ticks: 10)
        var outcome = try #require(rules.outcome(of: state))
        #expect(outcome.reason == "time up")
        #expect(outcome.winner == nil, "three standing, no kills: a draw")
        #expect(outcome.placings.map(\.place) == [1, 1, 1])
        #expect(outcome.placings.map(\.slot) == [PlayerSlot(0), PlayerSlot(1), PlayerSlot(2)], "ties list in slot order")

        state.players[1].kills = 1
        outcome = try #require(rules.outcome(of: state))
        #expect(outcome.winner == PlayerSlot(1))
        #expect(outcome.placings.map(\.slot) == [PlayerSlot(1), PlayerSlot(0), PlayerSlot(2)])
        #expect(outcome.placings.map(\.place) == [1, 2, 2])
    }

    @Test func theFallenRankBelowTheStandingByHowLongTheyLasted() throws {
        let rules = try testRules(Self.board, matchTicks: 10)
        var state = try rules.initialState(players: testPlayers(3), seed: 1)
        rules.wait(&state, ticks: 10)
        // Standing with no kills beats a player who fell with kills; the later fall ranks higher.
        state.players[0].status = .dead
        state.players[0].kills = 1
        state.players[0].fallTick = 3
        state.players[2].status = .dead
        state.players[2].fallTick = 7
        state.standing = 1
        let placings = rules.ranking(of: state)
        #expect(placings.map(\.slot) == [PlayerSlot(1), PlayerSlot(2), PlayerSlot(0)])
        #expect(placings.map(\.place) == [1, 2, 3])
    }

    @Test func playersWhoFellTogetherRankByKills() throws {
        // One bomb catches both players: its owner scores and wins "no one standing".
        let rules = try testRules("#######\n#12...#\n#######\n", fuseTicks: 1, startRange: 2)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.step(&state, bomb, idle)
        rules.step(&state, idle, idle)
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.reason == "no one standing")
        #expect(outcome.winner == PlayerSlot(0))
        #expect(outcome.placings.map(\.score) == [1, 0])
    }

    @Test func removedPlayersLeaveTheBoardAndRankLast() throws {
        let rules = try testRules(Self.board, fuseTicks: 3)
        var state = try rules.initialState(players: testPlayers(3), seed: 1)
        rules.step(&state, bomb, idle, idle)
        rules.removePlayer(PlayerSlot(0), from: &state)
        rules.removePlayer(PlayerSlot(0), from: &state)  // twice is harmless
        #expect(state.status(of: PlayerSlot(0)) == .left)
        #expect(state.standingCount == 2)
        #expect(state.bombCount == 1, "its bomb stays and still goes off")
        #expect(rules.view(of: state, players: testPlayers(3))[1, 1] != BlastGlyphs.player(PlayerSlot(0)))
        rules.step(&state, right, idle, idle)  // a departed player's input is ignored
        #expect(rules.at(0, state) == point(1, 1))
        rules.wait(&state, ticks: 2)
        #expect(state.bombCount == 0)
        #expect(rules.brokenInvariant(state) == nil)
        // P2 leaving too makes P3 the last player standing, ranked above both who left.
        rules.removePlayer(PlayerSlot(1), from: &state)
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.winner == PlayerSlot(2))
        #expect(outcome.placings.map(\.slot) == [PlayerSlot(2), PlayerSlot(1), PlayerSlot(0)])
        #expect(rules.view(of: state, players: testPlayers(3)).scoreboard.map(\.status) == ["alive", "left", "left"])
    }

    @Test func everyoneLeavingEndsWithoutAWinner() throws {
        let rules = try testRules(Self.board)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.removePlayer(PlayerSlot(0), from: &state)
        rules.removePlayer(PlayerSlot(1), from: &state)
        let outcome = try #require(rules.outcome(of: state))
        #expect(outcome.reason == "everyone left")
        #expect(outcome.winner == nil)
    }
}
