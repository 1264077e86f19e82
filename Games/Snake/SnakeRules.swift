import MeshplayCore

/// The rules of the snake arena. See `step` for the order of events in a tick and
/// the collision rules, and `outcome(of:)` for scoring and ranking.
public struct SnakeRules: GameRules {
    public typealias Bot = SnakeBot

    /// The most players a snake match seats, however many spawns a map has.
    public static let playerLimit = 16

    public static let identity = GameIdentity(id: "snake", version: 1)

    public let config: SnakeConfig
    let board: BoardGeometry
    /// The padded grid with walls and nothing else: the start of every match.
    let emptyGrid: [UInt8]
    /// Padded cell of each spawn point.
    let spawnCells: [Int]
    /// The longest a snake can be: every floor cell.
    let floorCount: Int

    /// Rules for `config`; throws `GameSetupError` when it cannot be played.
    public init(config: SnakeConfig) throws {
        if let problem = config.problem { throw GameSetupError("snake: \(problem)") }
        let map = config.map
        self.config = config
        board = BoardGeometry(width: map.width, height: map.height)
        var grid = [UInt8](repeating: CellCode.wall, count: board.cellCount)
        for y in 0 ..< map.height {
            for x in 0 ..< map.width where !map.walls[y * map.width + x] {
                grid[board.cell(x: x, y: y)] = CellCode.floor
            }
        }
        emptyGrid = grid
        spawnCells = map.spawns.map { [board] in board.cell(x: $0.x, y: $0.y) }
        floorCount = map.floorCount
    }

    /// As many players as the map has spawns, at most `playerLimit`.
    public var maxPlayers: Int { min(config.map.spawns.count, SnakeRules.playerLimit) }

    public func initialState(players: [PlayerInfo], seed: UInt64) throws -> SnakeState {
        guard !players.isEmpty else { throw GameSetupError("snake needs at least one player") }
        guard players.count <= maxPlayers else {
            throw GameSetupError("\(players.count) players, but map \(config.map.name) seats at most \(maxPlayers)")
        }
        for (index, player) in players.enumerated() where player.slot.index != index {
            throw GameSetupError("player \(player.name) has slot \(player.slot.index), expected \(index)")
        }
        let playerCount = players.count
        var freeBits = [UInt64](repeating: 0, count: (board.cellCount + 63) / 64)
        for cell in emptyGrid.indices where emptyGrid[cell] == CellCode.floor {
            freeBits[cell / 64] |= 1 << UInt64(cell % 64)
        }
        var state = SnakeState(
            tick: 0,
            random: SeededRandom(seed: seed),
            snakes: [SnakeRecord](repeating: SnakeRecord(), count: playerCount),
            body: [UInt16](repeating: 0, count: playerCount * floorCount),
            ringCapacity: floorCount,
            grid: emptyGrid,
            freeBits: freeBits,
            food: [UInt16](repeating: 0, count: config.foodCount),
            playersPresent: playerCount)
        let spawnCount = config.map.spawns.count
        for index in 0 ..< playerCount {
            // Spread the players over the spawn list, so two players get spawns 0 and S/2.
            let home = index * spawnCount / playerCount
            state.snakes[index].homeSpawn = home
            enter(index, at: home, in: &state)
        }
        state.refillFood()
        return state
    }

    /// Whether the match has ended: the clock ran out, or every player left.
    public func isOver(_ state: SnakeState) -> Bool {
        state.tick >= config.matchTicks || state.playersPresent == 0
    }

    /// Takes the player's snake off the board for good; its score still counts in the results,
    /// ranked below every player who stayed.
    public func removePlayer(_ slot: PlayerSlot, from state: inout SnakeState) {
        let index = slot.index
        guard index < state.snakes.count, state.snakes[index].status != .left else { return }
        state.clearBody(of: index)
        state.snakes[index].status = .left
        state.snakes[index].respawnCountdown = 0
        state.playersPresent -= 1
    }

    /// A player who rejoined respawns after the usual delay, with its score and deaths kept.
    public func restorePlayer(_ slot: PlayerSlot, to state: inout SnakeState) {
        let index = slot.index
        guard index < state.snakes.count, state.snakes[index].status == .left else { return }
        state.snakes[index].status = .respawning
        state.snakes[index].respawnCountdown = config.respawnDelay
        state.playersPresent += 1
    }

    /// The body of `slot`'s snake in map coordinates, tail first and head last; empty unless alive.
    public func body(of slot: PlayerSlot, in state: SnakeState) -> [(x: Int, y: Int)] {
        state.cells(of: slot.index).map { board.coordinates(of: $0) }
    }

    /// The map coordinates of the food items on the board, in item order.
    public func food(in state: SnakeState) -> [(x: Int, y: Int)] {
        state.food.filter { $0 != 0 }.map { board.coordinates(of: Int($0)) }
    }

    /// The points `slot` has so far.
    public func score(of slot: PlayerSlot, in state: SnakeState) -> Int {
        state.snakes[slot.index].score(killBonus: config.killBonus)
    }

    // MARK: Entering the board

    /// Puts slot `index`'s snake on spawn `spawn` as a single cell facing the spawn's direction;
    /// it grows to the start length over the next ticks. Food on the spawn cell is eaten.
    func enter(_ index: Int, at spawn: Int, in state: inout SnakeState) {
        let cell = spawnCells[spawn]
        let direction = config.map.spawns[spawn].direction
        state.withBoard { board in
            board.snakes[index].status = .alive
            board.snakes[index].direction = direction
            board.snakes[index].length = 0
            board.snakes[index].pendingGrowth = config.startLength - 1
            board.snakes[index].respawnCountdown = 0
            if board.grid[cell] == CellCode.food { eat(at: cell, by: index, on: board) }
            board.pushHead(cell, of: index)
            board.setCell(cell, CellCode.snake(index))
        }
    }

    /// Slot `index` eats the food at `cell`.
    func eat(at cell: Int, by index: Int, on board: OpenBoard) {
        board.removeFood(at: cell)
        board.snakes[index].foodEaten += 1
        board.snakes[index].pendingGrowth += config.growthPerFood
    }

    /// Re-enters a respawning snake at the first spawn cell not covered by a snake,
    /// trying spawns in order starting at its home spawn plus its death count (so
    /// it does not always come back in the same place). Returns false when every
    /// spawn is covered; the snake then tries again next tick.
    func tryRespawn(_ index: Int, in state: inout SnakeState) -> Bool {
        let spawnCount = spawnCells.count
        let start = (state.snakes[index].homeSpawn + state.snakes[index].deaths) % spawnCount
        for offset in 0 ..< spawnCount {
            var spawn = start + offset
            if spawn >= spawnCount { spawn -= spawnCount }
            let code = state.grid[spawnCells[spawn]]
            if code == CellCode.floor || code == CellCode.food {
                enter(index, at: spawn, in: &state)
                return true
            }
        }
        return false
    }
}
