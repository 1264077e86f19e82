import MeshplayCore

/// The canonical encoding of a map, part of every `SnakeConfig` and so of every
/// replay header:
///
/// - name: string (at most `maxNameBytes`)
/// - width, height: varints
/// - walls: varint run lengths over the row-major grid, alternating floor and wall
///   and starting with floor; only the first run may be zero, and the runs must add
///   up to exactly `width * height` (so each grid has exactly one encoding)
/// - spawns: varint count, then per spawn a varint cell index (`y * width + x`)
///   and a direction byte (1 up, 2 right, 3 down, 4 left)
extension SnakeMap: CanonicalCodable {
    public func encode(to encoder: inout some CanonicalEncoder) {
        encoder.writeString(name)
        encoder.writeVarint(width)
        encoder.writeVarint(height)
        var runIsWall = false
        var runLength = 0
        for wall in walls {
            if wall != runIsWall {
                encoder.writeVarint(runLength)
                runIsWall = wall
                runLength = 0
            }
            runLength += 1
        }
        encoder.writeVarint(runLength)
        encoder.writeVarint(spawns.count)
        for spawn in spawns {
            encoder.writeVarint(spawn.y * width + spawn.x)
            encoder.writeUInt8(spawn.direction.rawValue)
        }
    }

    public init(from reader: inout ByteReader) throws {
        let start = reader.offset
        let name = try reader.readString(maxBytes: SnakeMap.maxNameBytes)
        let width = try reader.readVarint(max: SnakeMap.widthRange.upperBound, "map width")
        let height = try reader.readVarint(max: SnakeMap.heightRange.upperBound, "map height")
        guard SnakeMap.widthRange.contains(width), SnakeMap.heightRange.contains(height) else {
            throw reader.error("map size \(width)x\(height) out of range")
        }
        let cellCount = width * height
        // The size is bounded above, so this allocation is at most a few kilobytes.
        var walls = [Bool](repeating: false, count: cellCount)
        var filled = 0
        var runIsWall = false
        while filled < cellCount {
            let run = try reader.readVarint(max: cellCount - filled, "wall run")
            if run == 0 && filled > 0 { throw reader.error("empty wall run") }
            if runIsWall { for index in filled ..< filled + run { walls[index] = true } }
            filled += run
            runIsWall.toggle()
        }
        let spawnCount = try reader.readVarint(max: SnakeMap.maxSpawns, "spawn count")
        var spawns: [SpawnPoint] = []
        spawns.reserveCapacity(spawnCount)
        for _ in 0 ..< spawnCount {
            let cell = try reader.readVarint(max: cellCount - 1, "spawn cell")
            let rawDirection = try reader.readUInt8()
            guard let direction = Direction(rawValue: rawDirection) else {
                throw reader.error("invalid spawn direction \(rawDirection)")
            }
            spawns.append(SpawnPoint(x: cell % width, y: cell / width, direction: direction))
        }
        do {
            try self.init(name: name, width: width, height: height, walls: walls, spawns: spawns)
        } catch {
            throw DecodingError(offset: start, reason: "unplayable map: \(error.reason)")
        }
    }
}
