import MeshplayCore

/// The rules of the bomber arena. See `step` for the order of events in a tick, and
/// `outcome(of:)` for how a match ends and who wins.
///
/// Players drop bombs that explode after `BlastConfig.fuseTicks` in a cross reaching the
/// owner's range. Blasts stop at walls, destroy the first crate they reach and stop there,
/// and set off other bombs at once. Anyone caught in the flames is out; the bomb's owner
/// scores a kill, except for catching itself. Crates hide power-ups, placed when the match
/// starts by the match's seeded generator (and nothing else).
public struct BlastRules: GameRules {
    public typealias Bot = BlastBot

    /// The most players a Blast match seats, however many spawns a map has.
    public static let playerLimit = 16

    public static let identity = GameIdentity(id: "blast", version: 1)

    public let config: BlastConfig
    let board: BlastBoard
    /// The padded grid of walls, floor and empty crates: the start of every match before
    /// power-ups are hidden.
    let startTerrain: [UInt8]
    /// Padded cell of each spawn point, by spawn number.
    let spawnCells: [Int]
    /// The padded cells that are not fixed walls, in reading order: the only cells whose
    /// terrain or fire can change, so the state encoding writes these alone.
    let openCells: [Int]
    /// `flameTicks` as the flame grid stores it.
    let flameTicks: UInt8

    /// Rules for `config`; throws `GameSetupError` when it cannot be played.
    public init(config: BlastConfig) throws {
        if let problem = config.problem { throw GameSetupError("blast: \(problem)") }
        let map = config.map
        self.config = config
        board = BlastBoard(width: map.width, height: map.height)
        var terrain = [UInt8](repeating: Terrain.wall, count: board.cellCount)
        for y in 0 ..< map.height {
            for x in 0 ..< map.width {
                switch map.tiles[y * map.width + x] {
                case .floor: terrain[board.cell(x: x, y: y)] = Terrain.floor
                case .crate: terrain[board.cell(x: x, y: y)] = Terrain.crate
                case .wall: break
                }
            }
        }
        startTerrain = terrain
        openCells = terrain.indices.filter { terrain[$0] != Terrain.wall }
        spawnCells = map.spawns.map { [board] in board.cell(x: $0.x, y: $0.y) }
        flameTicks = UInt8(config.flameTicks)
    }

    /// As many players as the map has spawns, at most `playerLimit`.
    public var maxPlayers: Int { min(config.map.spawns.count, BlastRules.playerLimit) }

    /// Slot `i` starts on spawn `i + 1` with the starting range and bombs. Power-ups are then
    /// hidden in crates in reading order: for each crate the match's generator (seeded with
    /// `seed`) draws below 100, and a draw below `powerUpPercent` hides a power-up whose kind
    /// is a second draw below the sum of the weights (range, then bomb, then speed).
    public func initialState(players: [PlayerInfo], seed: UInt64) throws -> BlastState {
        guard !players.isEmpty else { throw GameSetupError("blast needs at least one player") }
        guard players.count <= maxPlayers else {
            throw GameSetupError("\(players.count) players, but map \(config.map.name) seats at most \(maxPlayers)")
        }
        for (index, player) in players.enumerated() where player.slot.index != index {
            throw GameSetupError("player \(player.name) has slot \(player.slot.index), expected \(index)")
        }
        var terrain = startTerrain
        var random = SeededRandom(seed: seed)
        let weightTotal = UInt64(config.rangeWeight + config.bombWeight + config.speedWeight)
        for cell in terrain.indices where terrain[cell] == Terrain.crate {
            guard random.next(below: 100) < UInt64(config.powerUpPercent) else { continue }
            let draw = random.next(below: weightTotal)
            let kind: BlastPowerUp = draw < UInt64(config.rangeWeight) ? .range
                : draw < UInt64(config.rangeWeight + config.bombWeight) ? .bomb : .speed
            terrain[cell] = Terrain.crate(hiding: kind)
        }
        var records = [BlastPlayer](repeating: BlastPlayer(), count: players.count)
        for index in records.indices {
            records[index].cell = spawnCells[index]
            records[index].range = config.startRange
            records[index].bombCapacity = config.startBombs
        }
        let bombCapacity = players.count * config.maxBombs
        var bombs: [BlastBomb] = []
        bombs.reserveCapacity(bombCapacity)
        var queue: [UInt16] = []
        queue.reserveCapacity(bombCapacity)
        var flameCells: [UInt16] = []
        flameCells.reserveCapacity(board.cellCount)
        return BlastState(
            tick: 0, players: records, standing: players.count, present: players.count,
            terrain: terrain,
            flame: [UInt8](repeating: 0, count: board.cellCount),
            flameOwner: [UInt8](repeating: 0, count: board.cellCount),
            flameCells: flameCells, bombs: bombs,
            bombAt: [Bool](repeating: false, count: board.cellCount),
            explosionQueue: queue)
    }

    /// Whether the match has ended: time is up, everyone left, or at most one player is
    /// standing (none, in a one-player match).
    public func isOver(_ state: BlastState) -> Bool {
        state.tick >= config.matchTicks || state.present == 0
            || state.standing <= (state.players.count > 1 ? 1 : 0)
    }

    /// Takes the player off the board for good, at the current tick. Its bombs still go off
    /// (and still score for it); in the results it ranks below everyone who did not leave.
    public func removePlayer(_ slot: PlayerSlot, from state: inout BlastState) {
        let index = slot.index
        guard index < state.players.count, state.players[index].status != .left else { return }
        if state.players[index].status == .alive {
            state.standing -= 1
            state.players[index].fallTick = state.tick
        }
        state.players[index].status = .left
        state.players[index].queuedStep = 0
        state.present -= 1
    }

    /// A player who rejoined is present again but out of the round (Blast has no respawn):
    /// it watches from its seat until the match ends.
    public func restorePlayer(_ slot: PlayerSlot, to state: inout BlastState) {
        let index = slot.index
        guard index < state.players.count, state.players[index].status == .left else { return }
        // It fell when it left (or before): removal set its fall tick if it was standing.
        state.players[index].status = .dead
        state.present += 1
    }

    /// Ticks between two steps of `player`: `moveTicks` less one per speed power-up (never below 1,
    /// as the speed-up cap is below `moveTicks`).
    @inline(__always)
    func stepInterval(_ player: BlastPlayer) -> Int { config.moveTicks - player.speedUps }

    // MARK: Queries (for clients and tests)

    /// Where `slot` stands (or last stood), in map coordinates.
    public func position(of slot: PlayerSlot, in state: BlastState) -> BlastPoint {
        point(state.players[slot.index].cell)
    }

    /// The range, bomb capacity and speed power-ups `slot` has.
    public func powers(of slot: PlayerSlot, in state: BlastState) -> (range: Int, bombs: Int, speedUps: Int) {
        let player = state.players[slot.index]
        return (player.range, player.bombCapacity, player.speedUps)
    }

    /// The bombs on the board in drop order: where, whose, and ticks to go.
    public func bombs(in state: BlastState) -> [(at: BlastPoint, owner: PlayerSlot, fuse: Int)] {
        state.bombs.map { (point(Int($0.cell)), PlayerSlot(Int($0.owner)), Int($0.fuse)) }
    }

    /// Whether (x, y) is on fire.
    public func isBurning(_ at: BlastPoint, in state: BlastState) -> Bool {
        state.flame[board.cell(x: at.x, y: at.y)] > 0
    }

    /// The map coordinates of a padded cell.
    func point(_ cell: Int) -> BlastPoint {
        let (x, y) = board.coordinates(of: cell)
        return BlastPoint(x: x, y: y)
    }
}
