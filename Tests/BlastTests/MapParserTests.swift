import MeshplayCore
import Testing
@testable import Blast

@Suite("Map format")
struct MapParserTests {
    @Test func readsNameTilesAndNumberedSpawns() throws {
        let map = try BlastMap.parse("""
            ; a comment
            name:  Tiny Yard  

            #########
            #2..%..1#
            #.#%#%#.#
            #3..%..4#
            #########

            """, file: "tiny.blast")
        #expect(map.name == "Tiny Yard")
        #expect(map.width == 9 && map.height == 5)
        #expect(map.tile(x: 0, y: 0) == .wall && map.tile(x: 4, y: 1) == .crate && map.tile(x: 2, y: 1) == .floor)
        #expect(map.tile(x: -1, y: 1) == .wall && map.tile(x: 9, y: 1) == .wall)
        #expect(map.tile(x: 7, y: 1) == .floor, "spawns are floor")
        #expect(map.crateCount == 4)
        #expect(map.spawns == [point(7, 1), point(1, 1), point(1, 3), point(7, 3)], "by number, not reading order")
    }

    @Test func spawnsAreOrderedByTheirNumber() throws {
        let map = try BlastMap.parse("#######\n#3.1.2#\n#######\n", file: "m.blast")
        #expect(map.spawns == [point(3, 1), point(5, 1), point(1, 1)])
    }

    @Test func sixteenSpawnsUseDigitsThenLetters() throws {
        let map = try BlastMap.parse("##################\n#123456789ABCDEFG#\n#................#\n##################\n", file: "m.blast")
        #expect(map.spawns.count == 16)
        #expect(map.spawns[9] == point(10, 1) && map.spawns[15] == point(16, 1))
        #expect(BlastMap.spawnLabel(0) == "1" && BlastMap.spawnLabel(8) == "9" && BlastMap.spawnLabel(9) == "A" && BlastMap.spawnLabel(15) == "G")
    }

    @Test func nameDefaultsToTheFileNameAndCRLFReadsTheSame() throws {
        let unix = try BlastMap.parse("#####\n#1.2#\n#####\n", file: "maps/little.blast")
        let windows = try BlastMap.parse("#####\r\n#1.2#\r\n#####\r\n", file: "maps/little.blast")
        #expect(unix.name == "little")
        #expect(unix == windows)
    }

    struct BadMap: CustomTestStringConvertible, Sendable {
        var text: String
        var line: Int
        var column: Int
        var reason: String
        var testDescription: String { reason }
    }

    static let wideRow = "#" + String(repeating: ".", count: 76)
    static let badMaps: [BadMap] = [
        BadMap(text: "name: X\n\n#####\n#1.x#\n#####\n", line: 4, column: 4, reason: "unknown character 'x'"),
        BadMap(text: "#####\n#1 .#\n#####\n", line: 2, column: 3, reason: "unknown character ' '"),
        BadMap(text: "#####\n#1.a#\n#####\n", line: 2, column: 4, reason: "unknown character 'a'"),
        BadMap(text: "#####\n#1.H#\n#####\n", line: 2, column: 4, reason: "unknown character 'H'"),
        BadMap(text: "#####\n#1..#\n####\n", line: 3, column: 5, reason: "row has 4 columns, expected 5 like line 1"),
        BadMap(text: "#####\n#1..##\n#####\n", line: 2, column: 6, reason: "row has 6 columns, expected 5 like line 1"),
        BadMap(text: "#####\n\n#1..#\n#####\n", line: 2, column: 1, reason: "blank line inside the grid"),
        BadMap(text: "name: X\n#####\n#...#\n#####\n", line: 2, column: 1, reason: "map has no spawn points (1-9, A-G)"),
        BadMap(text: "#####\n#1..#\n", line: 1, column: 1, reason: "map is 2 rows high, at least 3 needed"),
        BadMap(text: "##\n1.\n##\n", line: 1, column: 1, reason: "map is 2 columns wide, at least 3 needed"),
        BadMap(text: "#1\(wideRow)\n", line: 1, column: 77, reason: "row is wider than 76 columns"),
        BadMap(text: String(repeating: "#1.#\n", count: 41), line: 2, column: 2, reason: "spawn 1 repeats the one at line 1 column 2"),
        BadMap(text: String(repeating: "#..#\n", count: 40) + "#1.#\n", line: 41, column: 1, reason: "map has more than 40 rows"),
        BadMap(text: "#######\n#1.2.1#\n#######\n", line: 2, column: 6, reason: "spawn 1 repeats the one at line 2 column 2"),
        BadMap(text: "#######\n#1...3#\n#######\n", line: 2, column: 6, reason: "spawn 3 given but spawn 2 is missing"),
        BadMap(text: "#####\n#1%.#\n#%..#\n#####\n", line: 2, column: 2, reason: "spawn 1 at 1,1 has no floor next to it"),
        BadMap(text: "size: 3\n#####\n#1..#\n#####\n", line: 1, column: 1, reason: "unknown header 'size'"),
        BadMap(text: "name: A\nname: B\n#####\n#1..#\n#####\n", line: 2, column: 1, reason: "name given twice"),
        BadMap(text: "name:   \n#####\n#1..#\n#####\n", line: 1, column: 6, reason: "empty map name"),
        BadMap(text: "name: only a header\n", line: 2, column: 1, reason: "no map grid"),
    ]

    @Test(arguments: badMaps)
    func refusesWithPosition(_ bad: BadMap) {
        #expect(throws: MapParseError(file: "maps/bad.blast", line: bad.line, column: bad.column, reason: bad.reason)) {
            try BlastMap.parse(bad.text, file: "maps/bad.blast")
        }
    }

    @Test func errorReadsLikeACompilerMessage() {
        let error = MapParseError(file: "maps/bad.blast", line: 3, column: 7, reason: "unknown character 'x'")
        #expect(error.description == "maps/bad.blast:3:7: unknown character 'x'")
    }

    @Test func controlCharactersAreNamedReadably() {
        #expect(throws: MapParseError(file: "m.blast", line: 2, column: 2, reason: "unknown character '\\t'")) {
            try BlastMap.parse("#####\n#\t..#\n#1..#\n#####\n", file: "m.blast")
        }
    }
}
