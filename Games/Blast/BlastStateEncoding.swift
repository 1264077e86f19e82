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
    /// - terrain: one `Terrain` code byte per map cell that is not a fixed wall, in reading order
    ///   (0 floor; crates carry what they hide: 2 nothing, 3 range, 4 bomb, 5 speed; 6-8 range,
    ///   bomb and speed power-ups in the open). Fixed walls never change, so they are left out.
    /// - flames: varint count, then per burning cell in reading order its cell (UInt16), ticks
    ///   left and owner (bytes)
    ///
    /// Cells are indices into the map padded with a one-cell border:
    /// `(y + 1) * (width + 2) + (x + 1)`. The bomb-per-cell and burning-cell indexes are
    /// derived from the above, so they are not encoded.
    public func encodeState<Encoder: CanonicalEncoder>(_ state: BlastState, to encoder: inout Encoder) {
        // The verifier hashes the state every few ticks. Called through the protocol, this
        // generic code would reach the hasher through a witness table for every byte; the
        // concrete copy below is specialised and inlined, some thirty times faster.
        if Encoder.self == StateHasher.self, var hasher = encoder as? StateHasher {
            write(state, to: &hasher)
            if let result = hasher as? Encoder { encoder = result }
            return
        }
        write(state, to: &encoder)
    }

    /// The encoding itself (see `encodeState`). Bytes go one by one through `writeByte`, which
    /// the hasher inlines, rather than through the generic `writeBytes`.
    private func write<Encoder: CanonicalEncoder>(_ state: BlastState, to encoder: inout Encoder) {
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
        for cell in openCells { encoder.writeByte(state.terrain[cell]) }
        encoder.writeVarint(state.flameCells.count)
        guard !state.flameCells.isEmpty else { return }
        for cell in openCells where state.flame[cell] > 0 {
            encoder.writeUInt16(UInt16(truncatingIfNeeded: cell))
            encoder.writeUInt8(state.flame[cell])
            encoder.writeUInt8(state.flameOwner[cell])
        }
    }
}
