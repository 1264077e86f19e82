import MeshplayCore
import Testing
@testable import Blast

@Suite("View and description")
struct ViewTests {
    static let board = """
        #########
        #1.%..2.#
        #.#.#.#.#
        #.......#
        #########
        """

    @Test func drawsWallsCratesPlayersBombsFirePowerUps() throws {
        let rules = try testRules(Self.board, fuseTicks: 9, flameTicks: 5)
        var state = try rules.initialState(players: testPlayers(2), seed: 4)
        rules.setTerrain(Terrain.item(.range), at: point(1, 3), in: &state)
        rules.setTerrain(Terrain.item(.bomb), at: point(2, 3), in: &state)
        rules.setTerrain(Terrain.item(.speed), at: point(3, 3), in: &state)
        rules.step(&state, BlastInput.step(.down, bomb: true), idle)  // P1's bomb on 1,1; P1 on 1,2
        let view = rules.view(of: state, players: testPlayers(2))
        #expect(view.width == 9 && view.height == 5)
        #expect(view[0, 0] == GameCell(glyph: "█", asciiGlyph: "#", role: .wall))
        #expect(view[3, 1] == GameCell(glyph: "▒", asciiGlyph: "%", role: .wall))
        #expect(view[1, 1] == GameCell(glyph: "●", asciiGlyph: "o", role: .player(PlayerSlot(0))))
        #expect(view[1, 2] == GameCell(glyph: "1", asciiGlyph: "1", role: .playerHead(PlayerSlot(0))))
        #expect(view[6, 1] == GameCell(glyph: "2", asciiGlyph: "2", role: .playerHead(PlayerSlot(1))))
        #expect(view[1, 3] == GameCell(glyph: "✚", asciiGlyph: "+", role: .item))
        #expect(view[2, 3] == GameCell(glyph: "♦", asciiGlyph: "b", role: .item))
        #expect(view[3, 3] == GameCell(glyph: "»", asciiGlyph: "s", role: .item))
        #expect(view[2, 1] == .empty)
        #expect(view.status == "tick 1 of 1000, 2 of 2 standing")
        #expect(view.scoreboard.map(\.status) == ["alive", "alive"])
        #expect(view.scoreboard.map(\.name) == ["player1", "player2"])

        rules.step(&state, down, idle)  // P1 takes the range power-up on 1,3
        rules.step(&state, right, idle)  // and the bomb power-up on 2,3, out of the bomb's cross
        rules.wait(&state, ticks: 4)  // 3 ticks left on the fuse: its last third
        #expect(rules.view(of: state, players: [])[1, 1] == GameCell(glyph: "◉", asciiGlyph: "O", role: .dead))
        rules.wait(&state, ticks: 3)  // it goes off
        let burning = rules.view(of: state, players: [])
        #expect(burning[1, 1] == GameCell(glyph: "✱", asciiGlyph: "*", role: .dead))
        #expect(burning[1, 3] == BlastGlyphs.fire)
        #expect(burning[2, 3] == BlastGlyphs.player(PlayerSlot(0)))
    }

    @Test func fallenPlayersLeaveAMarkAndTheScoreboardSaysDead() throws {
        let rules = try testRules("########\n#1..3.2#\n########\n", fuseTicks: 1, flameTicks: 1, startRange: 1)
        var state = try rules.initialState(players: testPlayers(3), seed: 4)
        rules.step(&state, idle, bomb, idle)
        rules.step(&state, idle, idle, idle)  // P2 catches itself
        #expect(rules.view(of: state, players: [])[6, 1] == BlastGlyphs.fire)
        rules.step(&state, idle, idle, idle)  // the fire is out
        let view = rules.view(of: state, players: testPlayers(3))
        #expect(view[6, 1] == GameCell(glyph: "✖", asciiGlyph: "x", role: .dead))
        #expect(view.scoreboard.map(\.slot) == [PlayerSlot(0), PlayerSlot(2), PlayerSlot(1)])
        #expect(view.scoreboard.map(\.status) == ["alive", "alive", "dead"])
        #expect(view.status == "tick 3 of 1000, 2 of 3 standing")
        rules.removePlayer(PlayerSlot(2), from: &state)
        #expect(rules.view(of: state, players: testPlayers(3)).status == "tick 3 of 1000, last player standing")
    }

    @Test func everyGlyphIsDistinctInUnicodeAndInASCII() {
        var cells: [GameCell] = [BlastGlyphs.wall, BlastGlyphs.crate, BlastGlyphs.fire, BlastGlyphs.fallen,
                                 BlastGlyphs.bomb(PlayerSlot(0)), BlastGlyphs.bombAboutToBlow]
        cells += BlastPowerUp.allCases.map(BlastGlyphs.powerUp)
        cells += (0 ..< 16).map { BlastGlyphs.player(PlayerSlot($0)) }
        let unicode = cells.map(\.glyph)
        let ascii = cells.map(\.asciiGlyph)
        #expect(Set(unicode).count == cells.count, "Unicode glyphs repeat")
        #expect(Set(ascii).count == cells.count, "ASCII glyphs repeat")
        #expect(ascii.allSatisfy { $0.isASCII && $0 != " " && $0 != "." })
        #expect(!unicode.contains(" ") && !ascii.contains(" "))
        #expect(BlastRules.legend.count == 10)
    }

    @Test func describeListsPlayersBombsBoardAndHiddenPowerUps() throws {
        let rules = try testRules(Self.board)
        var state = try rules.initialState(players: testPlayers(2), seed: 4)
        rules.setTerrain(Terrain.crate(hiding: .speed), at: point(3, 1), in: &state)
        rules.step(&state, bomb, idle)
        let lines = rules.describe(state).split(separator: "\n").map(String.init)
        #expect(lines[0] == "blast v1 map \"test\" 9x5 tick 1 of 1000, 2 of 2 standing")
        #expect(lines.contains("P1: alive at 1,1 range 2 bombs 1/1 speed-ups 0 cooldown 0 queued none kills 0 power-ups 0"))
        #expect(lines.contains("bombs: 1,1 P1 range 2 fuse 5"))
        #expect(lines.contains("#1.%..2.#"))
        #expect(lines.suffix(5) == ["#########", "#..s....#", "#.#.#.#.#", "#.......#", "#########"])
    }
}
