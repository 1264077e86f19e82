import MeshplayCore

extension BlastRules {
    /// The canonical state encoding, the input to state checksums:
    ///
    /// - tick (varint)
    /// - per slot: status and queued step (bytes), cell (UInt16), then varints for range, bomb
    ///   capacity, bombs on the board, speed-ups, cooldown, kills, fall tick, killed-by
    ///   (slot + 1, 0 for none) and power-ups taken
    /// - bombs in drop order: varint count, then per bomb cell (UInt16), owner (byte), range
    ///   (byte) and fuse (varint)
    /// - terrain: one `Terrain` code byte per map cell in reading order (0 floor, 1 wall; crates
    ///   carry what they hide: 2 nothing, 3 range, 4 bomb, 5 speed; 6-8 range, bomb and speed
    ///   power-ups in the open)
    /// - flames: varint count, then per burning cell in reading order its cell (UInt16), ticks
    ///   left and owner (bytes)
    ///
    /// Cells are indices into the map padded with a one-cell border:
    /// `(y + 1) * (width + 2) + (x + 1)`. The bomb-per-cell and burning-cell indexes are
    /// derived from the above, so they are not encoded.
    public func encodeState(_ state: BlastState, to encoder: inout some CanonicalEncoder) {
        encoder.writeVarint(state.tick)
        for player in state.players {
            encoder.writeUInt8(player.status.rawValue)
            encoder.writeUInt8(player.queuedStep)
            encoder.writeUInt16(UInt16(truncatingIfNeeded: player.cell))
            encoder.writeVarint(player.range)
            encoder.writeVarint(player.bombCapacity)
            encoder.writeVarint(player.bombsOnBoard)
            encoder.writeVarint(player.speedUps)
            encoder.writeVarint(player.cooldown)
            encoder.writeVarint(player.kills)
            encoder.writeVarint(player.fallTick)
            encoder.writeVarint(player.killedBy)
            encoder.writeVarint(player.powerUpsTaken)
        }
        encoder.writeVarint(state.bombs.count)
        for bomb in state.bombs {
            encoder.writeUInt16(bomb.cell)
            encoder.writeUInt8(bomb.owner)
            encoder.writeUInt8(bomb.range)
            encoder.writeVarint(UInt64(bomb.fuse))
        }
        for y in 0 ..< board.height {
            let rowStart = board.cell(x: 0, y: y)
            encoder.writeBytes(state.terrain[rowStart ..< rowStart + board.width])
        }
        encoder.writeVarint(state.flameCells.count)
        guard !state.flameCells.isEmpty else { return }
        for y in 0 ..< board.height {
            let rowStart = board.cell(x: 0, y: y)
            for cell in rowStart ..< rowStart + board.width where state.flame[cell] > 0 {
                encoder.writeUInt16(UInt16(truncatingIfNeeded: cell))
                encoder.writeUInt8(state.flame[cell])
                encoder.writeUInt8(state.flameOwner[cell])
            }
        }
    }
}
