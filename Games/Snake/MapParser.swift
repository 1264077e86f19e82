import MeshplayCore

/// Reads the text map format.
///
/// A map file is UTF-8 text with `.map` extension:
///
/// ```
/// ; a comment line (only before the grid)
/// name: Open Field
///
/// ##########
/// #>......<#
/// #........#
/// #^......v#
/// ##########
/// ```
///
/// - Header lines come first: `name: <text>` (optional, defaults to the file name
///   without `.map`; at most `SnakeMap.maxNameBytes` bytes). Lines starting with `;`
///   are comments and blank lines are ignored, both only before the grid.
/// - The grid is the first other line and every line after it, up to trailing
///   blank lines. Every row has the same width. Characters:
///   `#` wall, `.` floor, and `^` `>` `v` `<` a spawn point on floor whose snake
///   first heads up, right, down or left. Spawns are numbered in reading order
///   (left to right, top to bottom). Anything else, including spaces, is refused.
/// - Outside the grid counts as wall. The grid is 3...76 columns by 3...40 rows,
///   has 1...64 spawns, no spawn faces a wall or the edge.
/// - A trailing `\r` on a line is ignored, so CRLF files read the same.
public enum MapParser {
    /// The largest map text accepted, in bytes; real maps are a few kilobytes.
    public static let maxTextBytes = 64 * 1024

    /// Parses `text`; `file` names it in errors and provides the default map name.
    public static func parse(_ text: String, file: String) throws(MapParseError) -> SnakeMap {
        func fail(_ line: Int, _ column: Int, _ reason: String) -> MapParseError {
            MapParseError(file: file, line: line, column: column, reason: reason)
        }
        guard text.utf8.count <= maxTextBytes else { throw fail(1, 1, "file is larger than \(maxTextBytes) bytes") }

        var lines: [[Unicode.Scalar]] = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { piece in
            var line = Array(piece)
            if line.last == "\r" { line.removeLast() }
            return line
        }
        // A final newline makes an empty last piece; trailing blank lines are allowed too.
        while let last = lines.last, last.isEmpty { lines.removeLast() }

        var name: String? = nil
        var lineIndex = 0
        // Header: `key: value`, `;` comments and blank lines, until the first grid row.
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            let lineNumber = lineIndex + 1
            if line.isEmpty || line.first == ";" {
                lineIndex += 1
                continue
            }
            guard let colon = line.firstIndex(of: ":"), isHeaderKey(line[..<colon]) else { break }
            let key = string(line[..<colon])
            let valueStart = colon + 1
            let value = string(line[valueStart...]).trimmingSpaces()
            let valueColumn = valueStart + 1
            switch key {
            case "name":
                guard name == nil else { throw fail(lineNumber, 1, "name given twice") }
                guard !value.isEmpty else { throw fail(lineNumber, valueColumn, "empty map name") }
                guard value.utf8.count <= SnakeMap.maxNameBytes else {
                    throw fail(lineNumber, valueColumn, "map name is longer than \(SnakeMap.maxNameBytes) bytes")
                }
                name = value
            default:
                throw fail(lineNumber, 1, "unknown header '\(key)'")
            }
            lineIndex += 1
        }
        guard lineIndex < lines.count else { throw fail(lines.count + 1, 1, "no map grid") }

        let firstRowLine = lineIndex + 1
        let width = lines[lineIndex].count
        var walls: [Bool] = []
        var spawns: [SpawnPoint] = []
        var spawnLines: [Int] = []
        var spawnColumns: [Int] = []
        var y = 0
        while lineIndex < lines.count {
            let line = lines[lineIndex]
            let lineNumber = lineIndex + 1
            guard y < SnakeMap.heightRange.upperBound else {
                throw fail(lineNumber, 1, "map has more than \(SnakeMap.heightRange.upperBound) rows")
            }
            var x = 0
            for scalar in line {
                let column = x + 1
                guard x < SnakeMap.widthRange.upperBound else {
                    throw fail(lineNumber, column, "row is wider than \(SnakeMap.widthRange.upperBound) columns")
                }
                switch scalar {
                case "#": walls.append(true)
                case ".": walls.append(false)
                case "^", ">", "v", "<":
                    walls.append(false)
                    guard spawns.count < SnakeMap.maxSpawns else {
                        throw fail(lineNumber, column, "more than \(SnakeMap.maxSpawns) spawn points")
                    }
                    let direction: Direction = switch scalar {
                    case "^": .up
                    case ">": .right
                    case "v": .down
                    default: .left
                    }
                    spawns.append(SpawnPoint(x: x, y: y, direction: direction))
                    spawnLines.append(lineNumber)
                    spawnColumns.append(column)
                default:
                    throw fail(lineNumber, column, "unknown character '\(describe(scalar))'")
                }
                x += 1
            }
            guard x == width else {
                let reason = x == 0 ? "blank line inside the grid" : "row has \(x) columns, expected \(width) like line \(firstRowLine)"
                throw fail(lineNumber, min(x, width) + 1, reason)
            }
            y += 1
            lineIndex += 1
        }
        let height = y
        guard SnakeMap.widthRange.contains(width) else {
            throw fail(firstRowLine, 1, "map is \(width) columns wide, at least \(SnakeMap.widthRange.lowerBound) needed")
        }
        guard SnakeMap.heightRange.contains(height) else {
            throw fail(firstRowLine, 1, "map is \(height) rows high, at least \(SnakeMap.heightRange.lowerBound) needed")
        }
        guard !spawns.isEmpty else { throw fail(firstRowLine, 1, "map has no spawn points (^ > v <)") }
        for (index, spawn) in spawns.enumerated() {
            let aheadX = spawn.x + spawn.direction.dx
            let aheadY = spawn.y + spawn.direction.dy
            let outside = aheadX < 0 || aheadY < 0 || aheadX >= width || aheadY >= height
            if outside || walls[aheadY * width + aheadX] {
                throw fail(spawnLines[index], spawnColumns[index], "spawn \(index + 1) faces \(outside ? "the edge" : "a wall")")
            }
        }
        do {
            return try SnakeMap(name: name ?? defaultName(file), width: width, height: height, walls: walls, spawns: spawns)
        } catch {
            // The checks above cover the map rules; this keeps any future rule reported with a position.
            throw fail(firstRowLine, 1, error.reason)
        }
    }

    /// A header key: a lowercase ASCII word.
    private static func isHeaderKey(_ key: ArraySlice<Unicode.Scalar>) -> Bool {
        !key.isEmpty && key.allSatisfy { ("a"..."z").contains($0) }
    }

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// The file name without folders and without `.map`.
    static func defaultName(_ file: String) -> String {
        var base = file.split(separator: "/").last.map(String.init) ?? file
        if base.hasSuffix(".map") { base.removeLast(4) }
        if base.isEmpty { base = "map" }
        while base.utf8.count > SnakeMap.maxNameBytes { base.removeLast() }
        return base
    }

    /// A character as it should appear inside quotes in an error.
    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\t": "\\t"
        case "\r": "\\r"
        default: scalar.properties.generalCategory == .control ? "U+\(String(scalar.value, radix: 16, uppercase: true))" : String(scalar)
        }
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(scalars[first ... last])
    }
}

extension SnakeMap {
    /// Parses map text; see `MapParser` for the format.
    public static func parse(_ text: String, file: String) throws(MapParseError) -> SnakeMap {
        try MapParser.parse(text, file: file)
    }
}
