/// Where a snake enters the board and which way it first faces.
public struct SpawnPoint: Hashable, Sendable {
    /// Column, 0 at the left.
    public var x: Int
    /// Row, 0 at the top.
    public var y: Int
    /// The way a snake entering here first heads.
    public var direction: Direction

    public init(x: Int, y: Int, direction: Direction) {
        self.x = x
        self.y = y
        self.direction = direction
    }
}

/// A snake arena: its size, walls and spawn points.
///
/// The area outside the grid counts as wall, so a map without a border is still
/// closed. Build one with `SnakeMap.parse`, `SnakeMap.load(nameOrPath:)`, a
/// built-in name, or the validating initialiser.
public struct SnakeMap: Hashable, Sendable {
    /// Size limits for every map, from a file or from config bytes. The upper
    /// bound is what a terminal client can draw next to a scoreboard.
    public static let widthRange = 3...76
    /// See `widthRange`.
    public static let heightRange = 3...40
    /// The most spawn points a map may declare (more than the 16 players a game seats,
    /// so big maps can offer choice).
    public static let maxSpawns = 64
    /// The longest map name, in UTF-8 bytes.
    public static let maxNameBytes = 48

    /// The display name, such as "Open Field".
    public let name: String
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major, `width * height` entries; true is a wall.
    public let walls: [Bool]
    /// In the order they were declared: spawn 0 first.
    public let spawns: [SpawnPoint]

    /// A map, checked for playability; throws `SnakeMapError` describing the first problem.
    public init(name: String, width: Int, height: Int, walls: [Bool], spawns: [SpawnPoint]) throws(SnakeMapError) {
        if let problem = SnakeMap.problem(name: name, width: width, height: height, walls: walls, spawns: spawns) {
            throw SnakeMapError(problem)
        }
        self.name = name
        self.width = width
        self.height = height
        self.walls = walls
        self.spawns = spawns
    }

    /// Whether (x, y) is a wall; cells outside the grid are walls too.
    public func isWall(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < width, y < height else { return true }
        return walls[y * width + x]
    }

    /// How many cells are not walls.
    public var floorCount: Int { walls.reduce(0) { $1 ? $0 : $0 + 1 } }

    /// The first reason these parts do not make a playable map, or nil.
    static func problem(name: String, width: Int, height: Int, walls: [Bool], spawns: [SpawnPoint]) -> String? {
        if name.isEmpty { return "map name is empty" }
        if name.utf8.count > maxNameBytes { return "map name is longer than \(maxNameBytes) bytes" }
        if !widthRange.contains(width) || !heightRange.contains(height) {
            return "map is \(width)x\(height); width must be \(widthRange.lowerBound)...\(widthRange.upperBound) and height \(heightRange.lowerBound)...\(heightRange.upperBound)"
        }
        if walls.count != width * height { return "wall grid has \(walls.count) cells, expected \(width * height)" }
        if spawns.isEmpty { return "map has no spawn points" }
        if spawns.count > maxSpawns { return "map has \(spawns.count) spawn points, at most \(maxSpawns) allowed" }
        for (index, spawn) in spawns.enumerated() {
            if spawn.x < 0 || spawn.y < 0 || spawn.x >= width || spawn.y >= height {
                return "spawn \(index + 1) at \(spawn.x),\(spawn.y) is outside the map"
            }
            if walls[spawn.y * width + spawn.x] { return "spawn \(index + 1) at \(spawn.x),\(spawn.y) is on a wall" }
            let aheadX = spawn.x + spawn.direction.dx
            let aheadY = spawn.y + spawn.direction.dy
            let outside = aheadX < 0 || aheadY < 0 || aheadX >= width || aheadY >= height
            if outside || walls[aheadY * width + aheadX] {
                return "spawn \(index + 1) at \(spawn.x),\(spawn.y) faces a wall"
            }
            for earlier in spawns[..<index] where earlier.x == spawn.x && earlier.y == spawn.y {
                return "spawn \(index + 1) at \(spawn.x),\(spawn.y) repeats an earlier spawn point"
            }
        }
        return nil
    }
}

/// A map's parts do not make a playable map.
public struct SnakeMapError: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}
