import MeshplayCore

/// Everything that changes during a snake match.
///
/// All storage is allocated by `SnakeRules.initialState` and then mutated in
/// place, so a step allocates nothing. The occupancy grid and free-cell bitmap
/// are derived from the snakes, food and map; they are kept for speed and are
/// not part of the state encoding.
public struct SnakeState: Sendable {
    /// Ticks simulated so far.
    public internal(set) var tick: Int
    /// The match's random stream; only food placement draws from it.
    var random: SeededRandom
    /// Indexed by slot.
    var snakes: [SnakeRecord]
    /// Ring buffers of body cells, `ringCapacity` per snake: snake `i` owns
    /// `body[i * ringCapacity ..< (i + 1) * ringCapacity]`.
    var body: [UInt16]
    /// The map's floor cell count: the longest a snake can be.
    let ringCapacity: Int
    /// Padded grid of `CellCode`s (see `BoardGeometry`).
    var grid: [UInt8]
    /// One bit per padded cell, set when the cell is empty floor: food draws from it.
    var freeBits: [UInt64]
    /// Food cells, `foodCount` entries; 0 marks an eaten item not yet replaced.
    var food: [UInt16]
    /// Players that have not left.
    var playersPresent: Int

    /// How many seated players the match has.
    public var playerCount: Int { snakes.count }

    /// Where slot `index`'s snake is in its life.
    public func status(of slot: PlayerSlot) -> SnakeStatus { snakes[slot.index].status }

    // MARK: Grid and body rings

    /// Runs `work` with the board arrays opened for direct access (see `OpenBoard`):
    /// one uniqueness check per array for the whole call instead of one per write.
    mutating func withBoard<Result>(_ work: (OpenBoard) -> Result) -> Result {
        let ringCapacity = self.ringCapacity
        return snakes.withUnsafeMutableBufferPointer { snakes in
            body.withUnsafeMutableBufferPointer { body in
                grid.withUnsafeMutableBufferPointer { grid in
                    freeBits.withUnsafeMutableBufferPointer { freeBits in
                        food.withUnsafeMutableBufferPointer { food in
                            work(OpenBoard(snakes: snakes, body: body, grid: grid, freeBits: freeBits, food: food,
                                           ringCapacity: ringCapacity))
                        }
                    }
                }
            }
        }
    }

    /// Writes a cell, keeping the free-cell bitmap in step.
    mutating func setCell(_ cell: Int, _ code: UInt8) { withBoard { $0.setCell(cell, code) } }

    /// The padded cell of slot `index`'s head.
    @inline(__always)
    func head(of index: Int) -> Int { Int(body[index * ringCapacity + snakes[index].headSlot]) }

    /// The body cells of slot `index`, tail first.
    func cells(of index: Int) -> [Int] {
        let record = snakes[index]
        guard record.status == .alive else { return [] }
        var result: [Int] = []
        result.reserveCapacity(record.length)
        var slot = record.headSlot - (record.length - 1)
        if slot < 0 { slot += ringCapacity }
        for _ in 0 ..< record.length {
            result.append(Int(body[index * ringCapacity + slot]))
            slot += 1
            if slot == ringCapacity { slot = 0 }
        }
        return result
    }

    /// Adds a new head cell to slot `index` (the grid is updated separately).
    mutating func pushHead(_ cell: Int, of index: Int) { withBoard { $0.pushHead(cell, of: index) } }

    /// Takes slot `index`'s whole body off the board.
    mutating func clearBody(of index: Int) { withBoard { $0.clearBody(of: index) } }

    // MARK: Food

    /// How many cells are empty floor.
    func freeCellCount() -> Int {
        var count = 0
        for word in freeBits { count += word.nonzeroBitCount }
        return count
    }

    /// The `rank`-th empty floor cell in index order (`rank < freeCellCount()`).
    func freeCell(rank: Int) -> Int {
        var remaining = rank
        for (wordIndex, word) in freeBits.enumerated() {
            let count = word.nonzeroBitCount
            if remaining >= count {
                remaining -= count
                continue
            }
            var bits = word
            // Clear the lowest set bits until the wanted one is lowest.
            for _ in 0 ..< remaining { bits &= bits - 1 }
            return wordIndex * 64 + bits.trailingZeroBitCount
        }
        preconditionFailure("free cell rank \(rank) out of range")
    }

    /// Fills every empty food entry with a uniformly chosen empty floor cell, in entry
    /// order; entries stay empty while no floor cell is free.
    mutating func refillFood() {
        // Every floor cell holds a snake cell, a food item or nothing, so the tallies give the
        // free count without counting the bitmap's bits (this build has no popcount instruction).
        var free = ringCapacity
        for record in snakes { free -= record.length }
        for item in food where item != 0 { free -= 1 }
        assert(free == freeCellCount(), "free-cell tally differs from the bitmap")
        for index in food.indices where food[index] == 0 {
            guard free > 0 else { return }
            let cell = freeCell(rank: random.nextIndex(below: free))
            food[index] = UInt16(truncatingIfNeeded: cell)
            setCell(cell, CellCode.food)
            free -= 1
        }
    }

    /// Removes the food item at `cell` (the grid is updated separately).
    mutating func removeFood(at cell: Int) { withBoard { $0.removeFood(at: cell) } }
}

/// A `SnakeState`'s arrays opened for direct access, valid only inside `SnakeState.withBoard`.
///
/// A step writes these arrays dozens of times; through `Array` every write would check
/// uniqueness and bounds. Indices here are trusted: cells come from the padded grid, which a
/// head never leaves (see `BoardGeometry`), and slots from `0 ..< snakes.count`.
struct OpenBoard {
    /// Indexed by slot.
    let snakes: UnsafeMutableBufferPointer<SnakeRecord>
    /// Ring buffers of body cells, `ringCapacity` per snake (see `SnakeState.body`).
    let body: UnsafeMutableBufferPointer<UInt16>
    /// Padded grid of `CellCode`s.
    let grid: UnsafeMutableBufferPointer<UInt8>
    /// One bit per padded cell, set when the cell is empty floor.
    let freeBits: UnsafeMutableBufferPointer<UInt64>
    /// Food cells; 0 marks an eaten item not yet replaced.
    let food: UnsafeMutableBufferPointer<UInt16>
    let ringCapacity: Int

    /// Writes a cell, keeping the free-cell bitmap in step.
    @inline(__always)
    func setCell(_ cell: Int, _ code: UInt8) {
        let word = cell &>> 6
        let bit: UInt64 = 1 &<< UInt64(truncatingIfNeeded: cell & 63)
        if code == CellCode.floor { freeBits[word] |= bit } else { freeBits[word] &= ~bit }
        grid[cell] = code
    }

    /// The padded cell of slot `index`'s head.
    @inline(__always)
    func head(of index: Int) -> Int { Int(body[index &* ringCapacity &+ snakes[index].headSlot]) }

    /// Adds a new head cell to slot `index` (the grid is updated separately).
    @inline(__always)
    func pushHead(_ cell: Int, of index: Int) {
        var slot = snakes[index].headSlot &+ 1
        if slot == ringCapacity { slot = 0 }
        snakes[index].headSlot = slot
        snakes[index].length &+= 1
        body[index &* ringCapacity &+ slot] = UInt16(truncatingIfNeeded: cell)
    }

    /// Removes slot `index`'s tail cell from the ring and the board.
    @inline(__always)
    func dropTail(of index: Int) {
        let length = snakes[index].length
        var slot = snakes[index].headSlot &- (length &- 1)
        if slot < 0 { slot &+= ringCapacity }
        setCell(Int(body[index &* ringCapacity &+ slot]), CellCode.floor)
        snakes[index].length = length &- 1
    }

    /// Takes slot `index`'s whole body off the board.
    func clearBody(of index: Int) {
        while snakes[index].length > 0 { dropTail(of: index) }
    }

    /// Removes the food item at `cell` (the grid is updated separately).
    func removeFood(at cell: Int) {
        let code = UInt16(truncatingIfNeeded: cell)
        for index in food.indices where food[index] == code {
            food[index] = 0
            return
        }
    }
}
