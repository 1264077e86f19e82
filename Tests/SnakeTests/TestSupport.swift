import MeshplayCore
@testable import Snake

/// Parses a map written inline in a test.
func testMap(_ text: String) throws -> SnakeMap {
    try SnakeMap.parse(text, file: "test.map")
}

/// Rules for a tiny test map: one food item, one-cell snakes that do not grow,
/// a short respawn delay, so each test controls exactly what happens.
func testRules(_ mapText: String, matchTicks: Int = 100, respawnDelay: Int = 3, foodCount: Int = 1,
               startLength: Int = 1, growthPerFood: Int = 0, killBonus: Int = 3) throws -> SnakeRules {
    try SnakeRules(config: SnakeConfig(map: try testMap(mapText), matchTicks: matchTicks, respawnDelay: respawnDelay,
                                       foodCount: foodCount, startLength: startLength,
                                       growthPerFood: growthPerFood, killBonus: killBonus))
}

func testPlayers(_ count: Int) -> [PlayerInfo] {
    (0 ..< count).map { PlayerInfo(slot: PlayerSlot($0), name: "player\($0 + 1)") }
}

extension SnakeRules {
    /// Steps once; `moves[i]` steers slot i (nil for no change).
    func step(_ state: inout SnakeState, _ moves: [Direction?]) {
        step(&state, inputs: moves.map { $0?.input ?? .none })
    }

    /// Slot `index`'s head in map coordinates.
    func headPosition(_ index: Int, in state: SnakeState) -> (x: Int, y: Int) {
        board.coordinates(of: state.head(of: index))
    }

    /// Moves every food item to `cells` (map coordinates), so a test decides where food is.
    func placeFood(_ cells: [(x: Int, y: Int)], in state: inout SnakeState) {
        for index in state.food.indices where state.food[index] != 0 {
            if state.grid[Int(state.food[index])] == CellCode.food { state.setCell(Int(state.food[index]), CellCode.floor) }
            state.food[index] = 0
        }
        for (index, cell) in cells.enumerated() {
            let padded = board.cell(x: cell.x, y: cell.y)
            precondition(state.grid[padded] == CellCode.floor, "test food overlaps")
            state.food[index] = UInt16(padded)
            state.setCell(padded, CellCode.food)
        }
    }

    /// Replaces slot `index`'s body with `cells` (tail first) heading `direction`.
    func placeSnake(_ index: Int, _ cells: [(x: Int, y: Int)], heading direction: Direction,
                    pendingGrowth: Int = 0, in state: inout SnakeState) {
        state.clearBody(of: index)
        state.snakes[index].status = .alive
        state.snakes[index].direction = direction
        state.snakes[index].pendingGrowth = pendingGrowth
        for cell in cells {
            let padded = board.cell(x: cell.x, y: cell.y)
            precondition(state.grid[padded] == CellCode.floor || state.grid[padded] == CellCode.food, "test snake overlaps")
            if state.grid[padded] == CellCode.food { state.removeFood(at: padded) }
            state.pushHead(padded, of: index)
            state.setCell(padded, CellCode.snake(index))
        }
    }

    /// Takes slot `index` off the board as if it had just died, to respawn in `countdown` ticks.
    func makeRespawning(_ index: Int, countdown: Int, in state: inout SnakeState) {
        state.clearBody(of: index)
        state.snakes[index].status = .respawning
        state.snakes[index].respawnCountdown = countdown
    }

    /// Every consistency rule between the stored grid, free bitmap, bodies and food.
    /// Returns the first broken one, or nil.
    func brokenInvariant(_ state: SnakeState) -> String? {
        var expected = emptyGrid
        for index in state.snakes.indices {
            let record = state.snakes[index]
            if record.status != .alive {
                if record.length != 0 { return "slot \(index) is \(record.status) but has length \(record.length)" }
                continue
            }
            if record.length < 1 { return "slot \(index) is alive with no body" }
            for cell in state.cells(of: index) {
                if expected[cell] != CellCode.floor { return "slot \(index) body overlaps code \(expected[cell]) at \(cell)" }
                expected[cell] = CellCode.snake(index)
            }
        }
        for item in state.food where item != 0 {
            if expected[Int(item)] != CellCode.floor { return "food at \(item) overlaps code \(expected[Int(item)])" }
            expected[Int(item)] = CellCode.food
        }
        if expected != state.grid { return "grid differs from bodies and food" }
        for cell in expected.indices {
            let free = state.freeBits[cell / 64] & (1 << UInt64(cell % 64)) != 0
            if free != (expected[cell] == CellCode.floor) { return "free bit wrong at \(cell)" }
        }
        if state.food.contains(0) && state.freeCellCount() > 0 { return "food missing while cells are free" }
        return nil
    }
}

/// Plays `ticks` ticks with one bot per seat and returns the checksum after every tick.
func botGameChecksums(rules: SnakeRules, skills: [BotSkill], seed: UInt64, ticks: Int) throws -> [StateChecksum] {
    var state = try rules.initialState(players: testPlayers(skills.count), seed: seed)
    var bots = skills.enumerated().map { SnakeBot(rules: rules, slot: PlayerSlot($0.offset), seed: seed &+ UInt64($0.offset), skill: $0.element) }
    var checksums: [StateChecksum] = []
    for _ in 0 ..< ticks {
        var inputs: [PlayerInput] = []
        for index in bots.indices { inputs.append(bots[index].nextInput(rules: rules, state: state)) }
        rules.step(&state, inputs: inputs)
        checksums.append(rules.checksum(of: state))
    }
    return checksums
}
