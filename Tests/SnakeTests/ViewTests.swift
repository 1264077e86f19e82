import MeshplayCore
import Testing
@testable import Snake

@Suite("View and description")
struct ViewTests {
    static let board = "#######\n#>....#\n#....<#\n#######\n"

    @Test func drawsWallsFoodBodiesAndArrowHeads() throws {
        let rules = try testRules(Self.board, matchTicks: 2000)
        var state = try rules.initialState(players: testPlayers(2), seed: 4)
        rules.placeSnake(0, [(1, 1), (2, 1)], heading: .right, in: &state)
        rules.placeFood([(4, 1)], in: &state)
        let view = rules.view(of: state, players: testPlayers(2))
        #expect(view.width == 7 && view.height == 4)
        #expect(view[0, 0] == GameCell(glyph: "█", asciiGlyph: "#", role: .wall))
        #expect(view[4, 1] == GameCell(glyph: "●", asciiGlyph: "*", role: .item))
        #expect(view[1, 1] == GameCell(glyph: "■", asciiGlyph: "o", role: .player(PlayerSlot(0)), ownAsciiGlyph: "O"))
        #expect(view[2, 1] == GameCell(glyph: "▶", asciiGlyph: ">", role: .playerHead(PlayerSlot(0))))
        #expect(view[5, 2] == GameCell(glyph: "◀", asciiGlyph: "<", role: .playerHead(PlayerSlot(1))))
        #expect(view[3, 2] == .empty)
        #expect(view.status == "tick 0 of 2000")
        #expect(view.scoreboard.map(\.name) == ["player1", "player2"])
        #expect(view.scoreboard.map(\.status) == ["alive", "alive"])
    }

    @Test func headsPointWhereTheyGoUpAndDown() throws {
        let rules = try testRules("#####\n#v..#\n#...#\n#..^#\n#####\n")
        let state = try rules.initialState(players: testPlayers(2), seed: 4)
        let view = rules.view(of: state, players: testPlayers(2))
        #expect(view[1, 1].glyph == "▼" && view[1, 1].asciiGlyph == "v")
        #expect(view[3, 3].glyph == "▲" && view[3, 3].asciiGlyph == "^")
    }

    @Test func deadSnakeShowsACrossAndACountdownBestFirst() throws {
        let rules = try testRules(Self.board, respawnDelay: 12)
        var state = try rules.initialState(players: testPlayers(2), seed: 4)
        rules.placeFood([(3, 1)], in: &state)
        rules.step(&state, [.up, nil])  // slot 0 turns into the wall and dies; slot 1 moves
        rules.step(&state, [nil, nil])
        state.snakes[1].foodEaten = 2
        let view = rules.view(of: state, players: testPlayers(2))
        #expect(view[1, 1] == GameCell(glyph: "✖", asciiGlyph: "x", role: .dead))
        #expect(view.scoreboard.map(\.slot) == [PlayerSlot(1), PlayerSlot(0)])
        #expect(view.scoreboard.map(\.status) == ["alive", "respawn 11"])
        #expect(view.scoreboard.first?.score == 2)
        #expect(view.status == "tick 2 of 100")
    }

    @Test func finishedMatchSaysSo() throws {
        let rules = try testRules(Self.board, matchTicks: 1)
        var state = try rules.initialState(players: testPlayers(2), seed: 4)
        rules.step(&state, [nil, nil])
        #expect(rules.view(of: state, players: testPlayers(2)).status == "tick 1 of 1, time up")
    }

    @Test func describeListsSnakesFoodAndBoard() throws {
        let rules = try testRules(Self.board)
        var state = try rules.initialState(players: testPlayers(2), seed: 4)
        rules.placeFood([(3, 1)], in: &state)
        let text = rules.describe(state)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "snake v1 map \"test\" 7x4 tick 0 of 100")
        #expect(lines.contains("food: 3,1"))
        #expect(lines.contains("P1: alive heading right length 1 growth 0 score 0 food 0 kills 0 deaths 0"))
        #expect(lines.contains("  body: 5,2"))
        #expect(lines.suffix(4) == ["#######", "#>.*..#", "#....<#", "#######"])
    }
}
