import MeshplayCore

/// A snake bot brain. Deterministic given its seed: its only randomness is its own
/// `SeededRandom`, used for tie-breaks and for the random mover.
///
/// - `.random` picks any direction that is not a reversal, blindly.
/// - `.easy` avoids cells that are deadly right now and drifts towards the nearest food
///   as the crow flies.
/// - `.normal` finds the nearest food by breadth-first search and takes that way unless
///   the region it would enter (flood fill) is too small to hold its body; it also shies
///   away from cells next to other snakes' heads.
/// - `.hard` asks for twice the room and counts tails that are about to move as free.
///
/// All search buffers are allocated once, so a decision allocates nothing; on a 52x20
/// map a decision costs a few microseconds.
public struct SnakeBot: GameBot {
    public typealias Rules = SnakeRules

    public let slot: PlayerSlot
    public let skill: BotSkill
    private var random: SeededRandom
    /// Search marks: a cell is visited in the current search when its mark equals `generation`.
    private var marks: [UInt32]
    /// For each cell reached by the food search, the direction of the first step towards it.
    private var firstStep: [Direction]
    private var queue: [Int32]
    private var generation: UInt32 = 0

    public init(rules: SnakeRules, slot: PlayerSlot, seed: UInt64, skill: BotSkill) {
        self.slot = slot
        self.skill = skill
        random = SeededRandom(seed: seed)
        let cellCount = rules.board.cellCount
        marks = [UInt32](repeating: 0, count: cellCount)
        firstStep = [Direction](repeating: .up, count: cellCount)
        queue = [Int32](repeating: 0, count: cellCount)
    }

    public mutating func nextInput(rules: SnakeRules, state: SnakeState) -> PlayerInput {
        let me = slot.index
        // A bot made for another map's rules would index past its buffers: play nothing instead.
        guard marks.count == rules.board.cellCount, me < state.snakes.count, state.snakes[me].status == .alive else { return .none }
        let record = state.snakes[me]
        let head = state.head(of: me)
        let canReverse = record.length < 2
        if skill == .random {
            var choice = Direction(rawValue: UInt8(1 + random.nextIndex(below: 4)))!
            if choice == record.direction.opposite && !canReverse { choice = record.direction }
            return choice.input
        }

        let foodDirection = skill == .easy ? nil : nearestFoodDirection(from: head, rules: rules, state: state)
        let need: Int
        switch skill {
        case .hard: need = 2 * (record.length + record.pendingGrowth) + 4
        default: need = record.length + record.pendingGrowth + 2
        }
        var bestDirection = record.direction
        var bestKey = -1
        var ties = 0
        for direction in Direction.allCases where canReverse || direction != record.direction.opposite {
            let target = rules.board.step(head, direction)
            guard isPassable(target, rules: rules, state: state) else { continue }
            var key: Int
            switch skill {
            case .easy:
                // Closer to some food is better; anything passable beats a wall.
                key = 1_000_000 - nearestFoodDistance(from: target, rules: rules, state: state)
            default:
                let space = floodCount(from: target, limit: need, rules: rules, state: state)
                let roomy = space >= need
                let calm = !nextToOtherHead(target, rules: rules, state: state)
                // Tiers: roomy and calm, roomy, calm, neither; within a tier food first, then room.
                let tier = (roomy ? 2 : 0) + (calm ? 1 : 0)
                key = tier * 1_000_000 + (roomy && direction == foodDirection ? 500_000 : 0) + space
            }
            if key > bestKey {
                bestKey = key
                bestDirection = direction
                ties = 1
            } else if key == bestKey {
                // Reservoir choice among equals keeps ties unbiased without a list.
                ties += 1
                if random.nextIndex(below: ties) == 0 { bestDirection = direction }
            }
        }
        return bestDirection.input
    }

    /// Whether a head could enter `cell` next tick without dying (ignoring other heads).
    private func isPassable(_ cell: Int, rules: SnakeRules, state: SnakeState) -> Bool {
        let code = state.grid[cell]
        if code == CellCode.floor || code == CellCode.food { return true }
        guard skill == .hard, CellCode.isSnake(code) else { return false }
        // A tail that moves this tick frees its cell.
        let owner = CellCode.owner(code)
        let record = state.snakes[owner]
        guard record.pendingGrowth == 0, record.length > 1 else { return false }
        var tailSlot = record.headSlot - (record.length - 1)
        if tailSlot < 0 { tailSlot += state.ringCapacity }
        return Int(state.body[owner * state.ringCapacity + tailSlot]) == cell
    }

    private func nextToOtherHead(_ cell: Int, rules: SnakeRules, state: SnakeState) -> Bool {
        for direction in Direction.allCases {
            let neighbour = rules.board.step(cell, direction)
            let code = state.grid[neighbour]
            guard CellCode.isSnake(code) else { continue }
            let owner = CellCode.owner(code)
            if owner != slot.index && state.head(of: owner) == neighbour { return true }
        }
        return false
    }

    private mutating func nextGeneration() {
        generation &+= 1
        if generation == 0 {
            // After four billion searches the marks wrap; start them afresh.
            for index in marks.indices { marks[index] = 0 }
            generation = 1
        }
    }

    /// How many cells are reachable from `start` (itself included), counting at most `limit`.
    private mutating func floodCount(from start: Int, limit: Int, rules: SnakeRules, state: SnakeState) -> Int {
        nextGeneration()
        marks[start] = generation
        queue[0] = Int32(start)
        var read = 0
        var write = 1
        while read < write && write < limit {
            let cell = Int(queue[read])
            read += 1
            for direction in Direction.allCases {
                let next = rules.board.step(cell, direction)
                guard marks[next] != generation else { continue }
                marks[next] = generation
                let code = state.grid[next]
                guard code == CellCode.floor || code == CellCode.food else { continue }
                queue[write] = Int32(next)
                write += 1
            }
        }
        return write
    }

    /// The first step of a shortest path from `head` to the nearest food, or nil when none is reachable.
    private mutating func nearestFoodDirection(from head: Int, rules: SnakeRules, state: SnakeState) -> Direction? {
        nextGeneration()
        marks[head] = generation
        var write = 0
        for direction in Direction.allCases {
            let next = rules.board.step(head, direction)
            let code = state.grid[next]
            guard code == CellCode.floor || code == CellCode.food else { continue }
            if code == CellCode.food { return direction }
            marks[next] = generation
            firstStep[next] = direction
            queue[write] = Int32(next)
            write += 1
        }
        var read = 0
        while read < write {
            let cell = Int(queue[read])
            read += 1
            let first = firstStep[cell]
            for direction in Direction.allCases {
                let next = rules.board.step(cell, direction)
                guard marks[next] != generation else { continue }
                marks[next] = generation
                let code = state.grid[next]
                if code == CellCode.food { return first }
                guard code == CellCode.floor else { continue }
                firstStep[next] = first
                queue[write] = Int32(next)
                write += 1
            }
        }
        return nil
    }

    /// Manhattan distance from `cell` to the closest food item (a large number when there is none).
    private func nearestFoodDistance(from cell: Int, rules: SnakeRules, state: SnakeState) -> Int {
        let (x, y) = rules.board.coordinates(of: cell)
        var best = 100_000
        for item in state.food where item != 0 {
            let (foodX, foodY) = rules.board.coordinates(of: Int(item))
            best = min(best, abs(foodX - x) + abs(foodY - y))
        }
        return best
    }
}
