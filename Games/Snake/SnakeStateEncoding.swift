import MeshplayCore

extension SnakeRules {
    /// The canonical state encoding, the input to state checksums:
    ///
    /// - tick (varint), then the random generator's four state words
    /// - food: one UInt16 cell per item (0 for an item waiting to be placed)
    /// - per slot: status, direction (bytes); length, pending growth, respawn countdown,
    ///   food eaten, kills, deaths (varints); last death cell (UInt16); then `length`
    ///   UInt16 body cells from tail to head
    ///
    /// Cells are indices into the map padded with a one-cell border:
    /// `(y + 1) * (width + 2) + (x + 1)`. The occupancy grid is derived from the
    /// bodies, food and map, so it is not encoded.
    public func encodeState(_ state: SnakeState, to encoder: inout some CanonicalEncoder) {
        encoder.writeVarint(state.tick)
        state.random.encode(to: &encoder)
        for item in state.food { encoder.writeUInt16(item) }
        for index in state.snakes.indices {
            let record = state.snakes[index]
            encoder.writeUInt8(record.status.rawValue)
            encoder.writeUInt8(record.direction.rawValue)
            encoder.writeVarint(record.length)
            encoder.writeVarint(record.pendingGrowth)
            encoder.writeVarint(record.respawnCountdown)
            encoder.writeVarint(record.foodEaten)
            encoder.writeVarint(record.kills)
            encoder.writeVarint(record.deaths)
            encoder.writeUInt16(UInt16(truncatingIfNeeded: record.lastDeathCell))
            let base = index * state.ringCapacity
            var slot = record.headSlot - (record.length - 1)
            if slot < 0 { slot += state.ringCapacity }
            for _ in 0 ..< record.length {
                encoder.writeUInt16(state.body[base + slot])
                slot += 1
                if slot == state.ringCapacity { slot = 0 }
            }
        }
    }
}
