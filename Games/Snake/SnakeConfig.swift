import MeshplayCore

/// Everything a snake match needs besides its players and seed. Replays store only
/// this (through its canonical encoding), so it carries the whole map.
public struct SnakeConfig: Hashable, Sendable {
    /// Bounds for every setting, enforced when decoding and when making rules, so
    /// neither hostile bytes nor a careless caller can ask for something absurd.
    /// They also keep all score arithmetic far from `Int` overflow.
    public enum Limits {
        public static let matchTicks = 1...10_000_000
        public static let respawnDelay = 1...10_000
        public static let foodCount = 1...64
        public static let startLength = 1...100
        public static let growthPerFood = 0...100
        public static let killBonus = 0...100
    }

    /// The arena, carried whole so the config is self-contained.
    public var map: SnakeMap
    /// The match ends after this many ticks.
    public var matchTicks: Int
    /// Ticks a dead snake waits before it re-enters (at least 1).
    public var respawnDelay: Int
    /// How many food items the board holds at once (fewer only when no cell is free).
    public var foodCount: Int
    /// A new snake enters as one cell and grows to this length over its first ticks.
    public var startLength: Int
    /// Cells a snake grows per food eaten.
    public var growthPerFood: Int
    /// Points a snake earns when another snake's head runs into its body.
    public var killBonus: Int

    public init(map: SnakeMap, matchTicks: Int, respawnDelay: Int, foodCount: Int,
                startLength: Int, growthPerFood: Int, killBonus: Int) {
        self.map = map
        self.matchTicks = matchTicks
        self.respawnDelay = respawnDelay
        self.foodCount = foodCount
        self.startLength = startLength
        self.growthPerFood = growthPerFood
        self.killBonus = killBonus
    }

    /// The usual settings: two minutes at 20 ticks a second, respawn after two seconds,
    /// four food items (one more per four spawns on big maps), start length 4, +2 per food,
    /// 3 points per kill.
    public static func standard(map: SnakeMap = .standard, matchTicks: Int = 2_400) -> SnakeConfig {
        SnakeConfig(map: map, matchTicks: matchTicks, respawnDelay: 40,
                    foodCount: max(4, map.spawns.count / 4 + 2), startLength: 4, growthPerFood: 2, killBonus: 3)
    }

    /// The first reason this configuration cannot be played, or nil.
    public var problem: String? {
        func outside(_ value: Int, _ range: ClosedRange<Int>, _ what: String) -> String? {
            range.contains(value) ? nil : "\(what) \(value) is outside \(range.lowerBound)...\(range.upperBound)"
        }
        if let problem = outside(matchTicks, Limits.matchTicks, "match length")
            ?? outside(respawnDelay, Limits.respawnDelay, "respawn delay")
            ?? outside(foodCount, Limits.foodCount, "food count")
            ?? outside(startLength, Limits.startLength, "start length")
            ?? outside(growthPerFood, Limits.growthPerFood, "growth per food")
            ?? outside(killBonus, Limits.killBonus, "kill bonus") {
            return problem
        }
        // Food must never be able to fill every cell a snake could enter.
        let floor = map.floorCount
        if foodCount + map.spawns.count > floor {
            return "map \(map.name) has \(floor) floor cells, too few for \(foodCount) food and \(map.spawns.count) spawns"
        }
        return nil
    }
}

/// Encoding: the map (see `SnakeMap`'s encoding), then varints for match ticks,
/// respawn delay, food count, start length, growth per food and kill bonus.
extension SnakeConfig: CanonicalCodable {
    public func encode(to encoder: inout some CanonicalEncoder) {
        map.encode(to: &encoder)
        encoder.writeVarint(matchTicks)
        encoder.writeVarint(respawnDelay)
        encoder.writeVarint(foodCount)
        encoder.writeVarint(startLength)
        encoder.writeVarint(growthPerFood)
        encoder.writeVarint(killBonus)
    }

    public init(from reader: inout ByteReader) throws {
        let map = try SnakeMap(from: &reader)
        let start = reader.offset
        func read(_ range: ClosedRange<Int>, _ what: String) throws -> Int {
            let value = try reader.readVarint(max: range.upperBound, what)
            guard value >= range.lowerBound else { throw reader.error("\(what) \(value) below \(range.lowerBound)") }
            return value
        }
        self.init(map: map,
                  matchTicks: try read(Limits.matchTicks, "match ticks"),
                  respawnDelay: try read(Limits.respawnDelay, "respawn delay"),
                  foodCount: try read(Limits.foodCount, "food count"),
                  startLength: try read(Limits.startLength, "start length"),
                  growthPerFood: try read(Limits.growthPerFood, "growth per food"),
                  killBonus: try read(Limits.killBonus, "kill bonus"))
        if let problem { throw DecodingError(offset: start, reason: "unplayable snake config: \(problem)") }
    }
}
