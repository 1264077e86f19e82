/// What a map cell starts as.
public enum BlastTile: UInt8, Hashable, Sendable {
    /// Open ground (spawn points are floor too).
    case floor = 0
    /// A fixed wall: blocks players and blasts, never breaks.
    case wall = 1
    /// A destructible crate: blocks players; the first blast to reach it destroys it
    /// and stops there. It may hide a power-up.
    case crate = 2
}

/// A map cell, column `x` from the left and row `y` from the top.
public struct BlastPoint: Hashable, Sendable, CustomStringConvertible {
    /// Column, 0 at the left.
    public var x: Int
    /// Row, 0 at the top.
    public var y: Int
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }
    public var description: String { "\(x),\(y)" }
}

/// A bomber arena: its size, walls, crates and numbered spawn points.
///
/// Outside the grid counts as wall. Build one with `BlastMap.parse`, a built-in name,
/// `BlastMap.load(nameOrPath:)`, or the validating initialiser.
public struct BlastMap: Hashable, Sendable {
    /// Size limits for every map, from a file or from config bytes.
    public static let widthRange = 3...76
    /// See `widthRange`.
    public static let heightRange = 3...40
    /// A map seats at most this many players: spawns are `1`-`9` then `A`-`G`.
    public static let maxSpawns = 16
    /// The longest map name, in UTF-8 bytes.
    public static let maxNameBytes = 48

    /// The display name, such as "Yard".
    public let name: String
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major, `width * height` tiles.
    public let tiles: [BlastTile]
    /// Spawn points by number: `spawns[0]` is spawn 1, where player slot 0 starts.
    public let spawns: [BlastPoint]

    /// A map, checked for playability; throws `BlastMapError` naming the first problem.
    public init(name: String, width: Int, height: Int, tiles: [BlastTile], spawns: [BlastPoint]) throws(BlastMapError) {
        if let problem = BlastMap.problem(name: name, width: width, height: height, tiles: tiles, spawns: spawns) {
            throw BlastMapError(problem)
        }
        self.name = name
        self.width = width
        self.height = height
        self.tiles = tiles
        self.spawns = spawns
    }

    /// The tile at (x, y); outside the grid is wall.
    public func tile(x: Int, y: Int) -> BlastTile {
        guard x >= 0, y >= 0, x < width, y < height else { return .wall }
        return tiles[y * width + x]
    }

    /// How many crates the map starts with.
    public var crateCount: Int { tiles.reduce(0) { $1 == .crate ? $0 + 1 : $0 } }

    /// The first reason these parts do not make a playable map, or nil.
    static func problem(name: String, width: Int, height: Int, tiles: [BlastTile], spawns: [BlastPoint]) -> String? {
        if name.isEmpty { return "map name is empty" }
        if name.utf8.count > maxNameBytes { return "map name is longer than \(maxNameBytes) bytes" }
        if !widthRange.contains(width) || !heightRange.contains(height) {
            return "map is \(width)x\(height); width must be \(widthRange.lowerBound)...\(widthRange.upperBound) and height \(heightRange.lowerBound)...\(heightRange.upperBound)"
        }
        if tiles.count != width * height { return "tile grid has \(tiles.count) cells, expected \(width * height)" }
        if spawns.isEmpty { return "map has no spawn points" }
        if spawns.count > maxSpawns { return "map has \(spawns.count) spawn points, at most \(maxSpawns) allowed" }
        for (index, spawn) in spawns.enumerated() {
            if let problem = spawnProblem(index, spawn, width: width, height: height, tiles: tiles) { return problem }
            for earlier in spawns[..<index] where earlier == spawn {
                return "spawn \(spawnLabel(index)) at \(spawn) repeats an earlier spawn point"
            }
        }
        return nil
    }

    /// Why spawn number `index + 1` cannot be used: off the map, not on floor, or with no
    /// floor next to it (a player there could never step away from its own bomb).
    static func spawnProblem(_ index: Int, _ spawn: BlastPoint, width: Int, height: Int, tiles: [BlastTile]) -> String? {
        let label = spawnLabel(index)
        guard spawn.x >= 0, spawn.y >= 0, spawn.x < width, spawn.y < height else {
            return "spawn \(label) at \(spawn) is outside the map"
        }
        guard tiles[spawn.y * width + spawn.x] == .floor else { return "spawn \(label) at \(spawn) is not on floor" }
        let boxedIn = BlastDirection.allCases.allSatisfy { direction in
            let x = spawn.x + direction.dx
            let y = spawn.y + direction.dy
            return x < 0 || y < 0 || x >= width || y >= height || tiles[y * width + x] != .floor
        }
        return boxedIn ? "spawn \(label) at \(spawn) has no floor next to it" : nil
    }

    /// The map character of spawn number `index + 1`: `1`-`9`, then `A`-`G`.
    public static func spawnLabel(_ index: Int) -> Character {
        precondition(index >= 0 && index < maxSpawns, "spawn index out of range")
        return Character(Unicode.Scalar(UInt8(index < 9 ? 0x31 + index : 0x41 + index - 9)))
    }

    /// The spawn index (0-based) a map character names, or nil for another character.
    static func spawnIndex(of scalar: Unicode.Scalar) -> Int? {
        switch scalar {
        case "1" ... "9": Int(scalar.value) - 0x31
        case "A" ... "G": Int(scalar.value) - 0x41 + 9
        default: nil
        }
    }
}

/// A map's parts do not make a playable map.
public struct BlastMapError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
