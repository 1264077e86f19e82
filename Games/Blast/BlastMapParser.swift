import MeshplayCore

/// Reads the text format of Blast maps (`.blast` files; see Assets/maps/README.md).
///
/// ```
/// ; a comment line (only before the grid)
/// name: Tiny Yard
///
/// #########
/// #1..%..3#
/// #.#%#%#.#
/// #4..%..2#
/// #########
/// ```
///
/// - Header lines come first: `name: <text>` (optional, defaults to the file name without
///   `.blast`; at most `BlastMap.maxNameBytes` bytes). `;` comments and blank lines may
///   appear among them.
/// - The grid is the first other line and every line after it, up to trailing blank lines.
///   Every row has the same width. Characters: `#` wall, `%` crate, `.` floor, and `1`-`9`,
///   `A`-`G` spawn points 1 to 16 on floor. Anything else, spaces included, is refused.
/// - Spawn numbers are used once each and without gaps (1...S). Player slot `i` starts on
///   spawn `i + 1`, so order them so that every first N spawns make a fair N-player game.
///   Every spawn needs a floor cell next to it.
/// - Outside the grid counts as wall. The grid is 3...76 columns by 3...40 rows.
/// - A trailing `\r` on a line is ignored, so CRLF files read the same.
public enum BlastMapParser {
    /// The largest map text accepted, in bytes.
    public static let maxTextBytes = 64 * 1024

    /// Parses `text`; `file` names it in errors and provides the default map name.
    public static func parse(_ text: String, file: String) throws(MapParseError) -> BlastMap {
        func fail(_ line: Int, _ column: Int, _ reason: String) -> MapParseError {
            MapParseError(file: file, line: line, column: column, reason: reason)
        }
        guard text.utf8.count <= maxTextBytes else { throw fail(1, 1, "file is larger than \(maxTextBytes) bytes") }

        var lines: [[Unicode.Scalar]] = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).map { piece in
            var line = Array(piece)
            if line.last == "\r" { line.removeLast() }
            return line
        }
        while let last = lines.last, last.isEmpty { lines.removeLast() }

        var lineIndex = 0
        let name = try parseHeader(lines, &lineIndex, fail)
        guard lineIndex < lines.count else { throw fail(lines.count + 1, 1, "no map grid") }

        let firstRowLine = lineIndex + 1
        let width = lines[lineIndex].count
        var tiles: [BlastTile] = []
        // Spawn position and source place, by spawn index.
        var spawnAt = [BlastPoint?](repeating: nil, count: BlastMap.maxSpawns)
        var spawnPlace = [(line: Int, column: Int)](repeating: (0, 0), count: BlastMap.maxSpawns)
        var y = 0
        while lineIndex < lines.count {
            let lineNumber = lineIndex + 1
            guard y < BlastMap.heightRange.upperBound else {
                throw fail(lineNumber, 1, "map has more than \(BlastMap.heightRange.upperBound) rows")
            }
            var x = 0
            for scalar in lines[lineIndex] {
                let column = x + 1
                guard x < BlastMap.widthRange.upperBound else {
                    throw fail(lineNumber, column, "row is wider than \(BlastMap.widthRange.upperBound) columns")
                }
                switch scalar {
                case "#": tiles.append(.wall)
                case "%": tiles.append(.crate)
                case ".": tiles.append(.floor)
                default:
                    guard let spawn = BlastMap.spawnIndex(of: scalar) else {
                        throw fail(lineNumber, column, "unknown character '\(describe(scalar))'")
                    }
                    if spawnAt[spawn] != nil {
                        let earlier = spawnPlace[spawn]
                        throw fail(lineNumber, column, "spawn \(scalar) repeats the one at line \(earlier.line) column \(earlier.column)")
                    }
                    spawnAt[spawn] = BlastPoint(x: x, y: y)
                    spawnPlace[spawn] = (lineNumber, column)
                    tiles.append(.floor)
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
        guard BlastMap.widthRange.contains(width) else {
            throw fail(firstRowLine, 1, "map is \(width) columns wide, at least \(BlastMap.widthRange.lowerBound) needed")
        }
        guard BlastMap.heightRange.contains(height) else {
            throw fail(firstRowLine, 1, "map is \(height) rows high, at least \(BlastMap.heightRange.lowerBound) needed")
        }
        let spawnCount = spawnAt.lastIndex { $0 != nil }.map { $0 + 1 } ?? 0
        guard spawnCount > 0 else { throw fail(firstRowLine, 1, "map has no spawn points (1-9, A-G)") }
        var spawns: [BlastPoint] = []
        for index in 0 ..< spawnCount {
            guard let spawn = spawnAt[index] else {
                let last = spawnPlace[spawnCount - 1]
                throw fail(last.line, last.column,
                           "spawn \(BlastMap.spawnLabel(spawnCount - 1)) given but spawn \(BlastMap.spawnLabel(index)) is missing")
            }
            if let problem = BlastMap.spawnProblem(index, spawn, width: width, height: height, tiles: tiles) {
                throw fail(spawnPlace[index].line, spawnPlace[index].column, problem)
            }
            spawns.append(spawn)
        }
        do {
            return try BlastMap(name: name ?? defaultName(file), width: width, height: height, tiles: tiles, spawns: spawns)
        } catch {
            // The checks above cover the map rules; this keeps any future rule reported with a position.
            throw fail(firstRowLine, 1, error.reason)
        }
    }

    /// Reads header lines from `lineIndex` up to the first grid row; returns the name, if given.
    private static func parseHeader(
        _ lines: [[Unicode.Scalar]], _ lineIndex: inout Int,
        _ fail: (Int, Int, String) -> MapParseError
    ) throws(MapParseError) -> String? {
        var name: String? = nil
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
            let value = trimmed(line[valueStart...])
            let valueColumn = valueStart + 1
            switch key {
            case "name":
                guard name == nil else { throw fail(lineNumber, 1, "name given twice") }
                guard !value.isEmpty else { throw fail(lineNumber, valueColumn, "empty map name") }
                guard value.utf8.count <= BlastMap.maxNameBytes else {
                    throw fail(lineNumber, valueColumn, "map name is longer than \(BlastMap.maxNameBytes) bytes")
                }
                name = value
            default:
                throw fail(lineNumber, 1, "unknown header '\(key)'")
            }
            lineIndex += 1
        }
        return name
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

    /// Without leading and trailing spaces and tabs.
    private static func trimmed(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
              let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return string(scalars[first ... last])
    }

    /// The file name without folders and without `.blast`.
    static func defaultName(_ file: String) -> String {
        var base = file.split(separator: "/").last.map(String.init) ?? file
        if base.hasSuffix(".blast") { base.removeLast(6) }
        if base.isEmpty { base = "map" }
        while base.utf8.count > BlastMap.maxNameBytes { base.removeLast() }
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

extension BlastMap {
    /// Parses map text; see `BlastMapParser` for the format.
    public static func parse(_ text: String, file: String) throws(MapParseError) -> BlastMap {
        try BlastMapParser.parse(text, file: file)
    }
}
