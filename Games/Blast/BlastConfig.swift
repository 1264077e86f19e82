import MeshplayCore

/// Everything a Blast match needs besides its players and seed. Replays store only this
/// (through its canonical encoding), so it carries the whole map.
///
/// Times are in ticks; the defaults assume the room's usual 30 ticks a second.
public struct BlastConfig: Hashable, Sendable {
    /// Bounds for every setting, enforced when decoding and when making rules, so neither
    /// hostile bytes nor a careless caller can ask for something absurd. They also keep every
    /// counter far from `Int` overflow and let fuses, flames and ranges live in small integers.
    public enum Limits {
        public static let matchTicks = 1...10_000_000
        public static let fuseTicks = 1...1_000
        public static let flameTicks = 1...250
        public static let range = 1...20
        public static let bombs = 1...16
        public static let moveTicks = 1...60
        public static let maxSpeedUps = 0...59
        public static let percent = 0...100
        public static let weight = 0...100
    }

    /// The arena, carried whole so the config is self-contained.
    public var map: BlastMap
    /// The match ends after this many ticks (unless one player or none is left standing first).
    public var matchTicks: Int
    /// A bomb explodes this many ticks after it is dropped.
    public var fuseTicks: Int
    /// How many ticks a blast's flames stay on their cells (deadly, and setting off bombs).
    public var flameTicks: Int
    /// Cells a blast reaches in each direction from its bomb, before any range power-up.
    public var startRange: Int
    /// The range power-ups stop at.
    public var maxRange: Int
    /// Bombs a player may have on the board at once, before any bomb power-up.
    public var startBombs: Int
    /// The bomb count power-ups stop at.
    public var maxBombs: Int
    /// Ticks between two steps of a player without speed power-ups: a player steps at most
    /// once every `max(1, moveTicks - speedUps)` ticks.
    public var moveTicks: Int
    /// Speed power-ups beyond this many do nothing.
    public var maxSpeedUps: Int
    /// Chance, in percent, that a crate hides a power-up.
    public var powerUpPercent: Int
    /// Relative odds of the kinds a hiding crate holds.
    public var rangeWeight: Int
    /// See `rangeWeight`.
    public var bombWeight: Int
    /// See `rangeWeight`.
    public var speedWeight: Int

    public init(map: BlastMap, matchTicks: Int, fuseTicks: Int, flameTicks: Int,
                startRange: Int, maxRange: Int, startBombs: Int, maxBombs: Int,
                moveTicks: Int, maxSpeedUps: Int,
                powerUpPercent: Int, rangeWeight: Int, bombWeight: Int, speedWeight: Int) {
        self.map = map
        self.matchTicks = matchTicks
        self.fuseTicks = fuseTicks
        self.flameTicks = flameTicks
        self.startRange = startRange
        self.maxRange = maxRange
        self.startBombs = startBombs
        self.maxBombs = maxBombs
        self.moveTicks = moveTicks
        self.maxSpeedUps = maxSpeedUps
        self.powerUpPercent = powerUpPercent
        self.rangeWeight = rangeWeight
        self.bombWeight = bombWeight
        self.speedWeight = speedWeight
    }

    /// The usual settings at 30 ticks a second: three minutes, two-second fuses, half-second
    /// flames, range 2 up to 8, one bomb up to 8, a step every 5 ticks down to every 2, and
    /// power-ups in 45% of crates (range 40 : bomb 35 : speed 25).
    public static func standard(map: BlastMap = .standard, matchTicks: Int = 5_400) -> BlastConfig {
        BlastConfig(map: map, matchTicks: matchTicks, fuseTicks: 60, flameTicks: 15,
                    startRange: 2, maxRange: 8, startBombs: 1, maxBombs: 8,
                    moveTicks: 5, maxSpeedUps: 3,
                    powerUpPercent: 45, rangeWeight: 40, bombWeight: 35, speedWeight: 25)
    }

    /// The first reason this configuration cannot be played, or nil.
    public var problem: String? {
        let bounded: [(value: Int, range: ClosedRange<Int>, what: String)] = [
            (matchTicks, Limits.matchTicks, "match length"),
            (fuseTicks, Limits.fuseTicks, "fuse"),
            (flameTicks, Limits.flameTicks, "flame time"),
            (startRange, Limits.range, "start range"),
            (maxRange, Limits.range, "range cap"),
            (startBombs, Limits.bombs, "start bombs"),
            (maxBombs, Limits.bombs, "bomb cap"),
            (moveTicks, Limits.moveTicks, "step interval"),
            (maxSpeedUps, Limits.maxSpeedUps, "speed-up cap"),
            (powerUpPercent, Limits.percent, "power-up chance"),
            (rangeWeight, Limits.weight, "range weight"),
            (bombWeight, Limits.weight, "bomb weight"),
            (speedWeight, Limits.weight, "speed weight"),
        ]
        for setting in bounded where !setting.range.contains(setting.value) {
            return "\(setting.what) \(setting.value) is outside \(setting.range.lowerBound)...\(setting.range.upperBound)"
        }
        if maxRange < startRange { return "range cap \(maxRange) is below the start range \(startRange)" }
        if maxBombs < startBombs { return "bomb cap \(maxBombs) is below the start bombs \(startBombs)" }
        if maxSpeedUps >= moveTicks { return "speed-up cap \(maxSpeedUps) must be below the step interval \(moveTicks)" }
        if powerUpPercent > 0 && rangeWeight + bombWeight + speedWeight == 0 {
            return "crates hide power-ups but every power-up weight is 0"
        }
        return nil
    }
}

/// Encoding: the map (see `BlastMap`'s encoding), then varints for match ticks, fuse, flame
/// time, start range, range cap, start bombs, bomb cap, step interval, speed-up cap, power-up
/// chance and the range, bomb and speed weights.
extension BlastConfig: CanonicalCodable {
    public func encode(to encoder: inout some CanonicalEncoder) {
        map.encode(to: &encoder)
        for value in [matchTicks, fuseTicks, flameTicks, startRange, maxRange, startBombs, maxBombs,
                      moveTicks, maxSpeedUps, powerUpPercent, rangeWeight, bombWeight, speedWeight] {
            encoder.writeVarint(value)
        }
    }

    public init(from reader: inout ByteReader) throws {
        let map = try BlastMap(from: &reader)
        let start = reader.offset
        func read(_ range: ClosedRange<Int>, _ what: String) throws -> Int {
            let value = try reader.readVarint(max: range.upperBound, what)
            guard value >= range.lowerBound else { throw reader.error("\(what) \(value) below \(range.lowerBound)") }
            return value
        }
        self.init(map: map,
                  matchTicks: try read(Limits.matchTicks, "match ticks"),
                  fuseTicks: try read(Limits.fuseTicks, "fuse ticks"),
                  flameTicks: try read(Limits.flameTicks, "flame ticks"),
                  startRange: try read(Limits.range, "start range"),
                  maxRange: try read(Limits.range, "range cap"),
                  startBombs: try read(Limits.bombs, "start bombs"),
                  maxBombs: try read(Limits.bombs, "bomb cap"),
                  moveTicks: try read(Limits.moveTicks, "step interval"),
                  maxSpeedUps: try read(Limits.maxSpeedUps, "speed-up cap"),
                  powerUpPercent: try read(Limits.percent, "power-up chance"),
                  rangeWeight: try read(Limits.weight, "range weight"),
                  bombWeight: try read(Limits.weight, "bomb weight"),
                  speedWeight: try read(Limits.weight, "speed weight"))
        if let problem { throw DecodingError(offset: start, reason: "unplayable blast config: \(problem)") }
    }
}
