import MeshplayCore

/// The canonical encoding of a map, part of every `BlastConfig` and so of every replay header:
///
/// - name: string (at most `maxNameBytes`)
/// - width, height: varints
/// - tiles: the row-major grid packed four cells a byte, two bits each, first cell in the
///   lowest bits (0 floor, 1 wall, 2 crate; 3 is invalid); the unused bits of the last byte
///   are zero, so each grid has exactly one encoding. At most 760 bytes for a 76x40 map, so
///   any map fits a room's settings.
/// - spawns: varint count, then per spawn, in number order, a varint cell index `y * width + x`
extension BlastMap: CanonicalCodable {
    public func encode(to encoder: inout some CanonicalEncoder) {
        encoder.writeString(name)
        encoder.writeVarint(width)
        encoder.writeVarint(height)
        var packed: UInt8 = 0
        for (index, tile) in tiles.enumerated() {
            packed |= tile.rawValue << UInt8(2 * (index % 4))
            if index % 4 == 3 {
                encoder.writeUInt8(packed)
                packed = 0
            }
        }
        if tiles.count % 4 != 0 { encoder.writeUInt8(packed) }
        encoder.writeVarint(spawns.count)
        for spawn in spawns { encoder.writeVarint(spawn.y * width + spawn.x) }
    }

    public init(from reader: inout ByteReader) throws {
        let start = reader.offset
        let name = try reader.readString(maxBytes: BlastMap.maxNameBytes)
        let width = try reader.readVarint(max: BlastMap.widthRange.upperBound, "map width")
        let height = try reader.readVarint(max: BlastMap.heightRange.upperBound, "map height")
        guard BlastMap.widthRange.contains(width), BlastMap.heightRange.contains(height) else {
            throw reader.error("map size \(width)x\(height) out of range")
        }
        let cellCount = width * height
        // The size is bounded above, so this is at most a few kilobytes.
        var tiles: [BlastTile] = []
        tiles.reserveCapacity(cellCount)
        while tiles.count < cellCount {
            let packed = try reader.readUInt8()
            let cellsInByte = min(4, cellCount - tiles.count)
            for slot in 0 ..< 4 {
                let raw = (packed >> UInt8(2 * slot)) & 3
                if slot >= cellsInByte {
                    guard raw == 0 else { throw reader.error("unused tile bits are set") }
                    continue
                }
                guard let tile = BlastTile(rawValue: raw) else { throw reader.error("invalid tile \(raw)") }
                tiles.append(tile)
            }
        }
        let spawnCount = try reader.readVarint(max: BlastMap.maxSpawns, "spawn count")
        var spawns: [BlastPoint] = []
        spawns.reserveCapacity(spawnCount)
        for _ in 0 ..< spawnCount {
            let cell = try reader.readVarint(max: cellCount - 1, "spawn cell")
            spawns.append(BlastPoint(x: cell % width, y: cell / width))
        }
        do {
            try self.init(name: name, width: width, height: height, tiles: tiles, spawns: spawns)
        } catch {
            throw DecodingError(offset: start, reason: "unplayable map: \(error.reason)")
        }
    }
}
