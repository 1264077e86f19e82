import MeshplayCore
import Testing
@testable import Snake

@Suite("Map format")
struct MapParserTests {
    @Test func readsNameGridAndSpawnsInReadingOrder() throws {
        let map = try SnakeMap.parse("""
            ; a comment
            name:  Tiny Box  

            ######
            #>..v#
            #^..<#
            ######

            """, file: "tiny.map")
        #expect(map.name == "Tiny Box")
        #expect(map.width == 6 && map.height == 4)
        #expect(map.isWall(x: 0, y: 0) && !map.isWall(x: 2, y: 1) && map.isWall(x: -1, y: 1) && map.isWall(x: 6, y: 1))
        #expect(map.spawns == [
            SpawnPoint(x: 1, y: 1, direction: .right), SpawnPoint(x: 4, y: 1, direction: .down),
            SpawnPoint(x: 1, y: 2, direction: .up), SpawnPoint(x: 4, y: 2, direction: .left),
        ])
        #expect(map.floorCount == 8)
    }

    @Test func nameDefaultsToTheFileNameAndCRLFReadsTheSame() throws {
        let unix = try SnakeMap.parse("#####\n#>..#\n#####\n", file: "maps/little.map")
        let windows = try SnakeMap.parse("#####\r\n#>..#\r\n#####\r\n", file: "maps/little.map")
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
        BadMap(text: "name: X\n\n#####\n#>.x#\n#####\n", line: 4, column: 4, reason: "unknown character 'x'"),
        BadMap(text: "#####\n#> .#\n#####\n", line: 2, column: 3, reason: "unknown character ' '"),
        BadMap(text: "#####\n#>..#\n####\n", line: 3, column: 5, reason: "row has 4 columns, expected 5 like line 1"),
        BadMap(text: "#####\n#>..##\n#####\n", line: 2, column: 6, reason: "row has 6 columns, expected 5 like line 1"),
        BadMap(text: "#####\n\n#>..#\n#####\n", line: 2, column: 1, reason: "blank line inside the grid"),
        BadMap(text: "name: X\n#####\n#...#\n#####\n", line: 2, column: 1, reason: "map has no spawn points (^ > v <)"),
        BadMap(text: "#####\n#>..#\n", line: 1, column: 1, reason: "map is 2 rows high, at least 3 needed"),
        BadMap(text: "##\n>.\n##\n", line: 1, column: 1, reason: "map is 2 columns wide, at least 3 needed"),
        BadMap(text: "#>\(wideRow)\n", line: 1, column: 77, reason: "row is wider than 76 columns"),
        BadMap(text: String(repeating: "#>.#\n", count: 41), line: 41, column: 1, reason: "map has more than 40 rows"),
        BadMap(text: "#####\n#.>##\n#...#\n#####\n", line: 2, column: 3, reason: "spawn 1 faces a wall"),
        BadMap(text: "#..^\n....\n....\n", line: 1, column: 4, reason: "spawn 1 faces the edge"),
        BadMap(text: "size: 3\n#####\n#>..#\n#####\n", line: 1, column: 1, reason: "unknown header 'size'"),
        BadMap(text: "name: A\nname: B\n#####\n#>..#\n#####\n", line: 2, column: 1, reason: "name given twice"),
        BadMap(text: "name:   \n#####\n#>..#\n#####\n", line: 1, column: 6, reason: "empty map name"),
        BadMap(text: "name: only a header\n", line: 2, column: 1, reason: "no map grid"),
    ]

    @Test(arguments: badMaps)
    func refusesWithPosition(_ bad: BadMap) {
        #expect(throws: MapParseError(file: "maps/bad.map", line: bad.line, column: bad.column, reason: bad.reason)) {
            try SnakeMap.parse(bad.text, file: "maps/bad.map")
        }
    }

    @Test func errorReadsLikeACompilerMessage() {
        let error = MapParseError(file: "maps/bad.map", line: 3, column: 7, reason: "unknown character 'x'")
        #expect(error.description == "maps/bad.map:3:7: unknown character 'x'")
    }

    @Test func tooManySpawnsIsRefusedAtTheSpawn() {
        // 65 spawns: 13 rows of 5 right-facing spawns followed by floor.
        let row = ">.>.>.>.>.."
        let text = Array(repeating: row, count: 13).joined(separator: "\n") + "\n"
        #expect(throws: MapParseError(file: "m.map", line: 13, column: 9, reason: "more than 64 spawn points")) {
            try SnakeMap.parse(text, file: "m.map")
        }
    }

    @Test func controlCharactersAreNamedReadably() {
        #expect(throws: MapParseError(file: "m.map", line: 2, column: 2, reason: "unknown character '\\t'")) {
            try SnakeMap.parse("#####\n#\t..#\n#>..#\n#####\n", file: "m.map")
        }
    }
}
