/// Which message ids of one origin were already seen: the highest id and a bitmap of
/// the 1024 ids below it. Fixed size, so a flood of ids costs no memory; an id older
/// than the window counts as seen (dropped), as a link's replay window does.
struct RelayDedupWindow: Sendable {
    static let width: UInt64 = 1024
    private var highest: UInt64 = 0
    /// Bit `i` set: id `highest - 1 - i` was seen.
    private var bits = [UInt64](repeating: 0, count: Int(width / 64))

    func isFresh(_ id: UInt64) -> Bool {
        // Ids start at 1, so 0 is never fresh.
        guard id != 0 else { return false }
        if id > highest { return true }
        if id == highest { return false }
        let distance = highest - id - 1
        guard distance < Self.width else { return false }
        return bits[Int(distance / 64)] & (1 << (distance % 64)) == 0
    }

    mutating func record(_ id: UInt64) {
        if id > highest {
            let shift = id - highest
            shiftBits(by: shift)
            if highest != 0, shift - 1 < Self.width {
                let distance = shift - 1
                bits[Int(distance / 64)] |= 1 << (distance % 64)
            }
            highest = id
        } else if id < highest {
            let distance = highest - id - 1
            guard distance < Self.width else { return }
            bits[Int(distance / 64)] |= 1 << (distance % 64)
        }
    }

    /// Moves every seen bit `shift` places older.
    private mutating func shiftBits(by shift: UInt64) {
        guard shift < Self.width else {
            for index in bits.indices { bits[index] = 0 }
            return
        }
        let words = Int(shift / 64)
        let offset = shift % 64
        for index in stride(from: bits.count - 1, through: 0, by: -1) {
            let source = index - words
            var value: UInt64 = 0
            if source >= 0 {
                value = bits[source] << offset
                if offset > 0, source - 1 >= 0 { value |= bits[source - 1] >> (64 - offset) }
            }
            bits[index] = value
        }
    }
}
