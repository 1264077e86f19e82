import MeshplayCore

/// A Blast bot brain. Deterministic given its seed: its only randomness is its own
/// `SeededRandom`, for tie-breaks and the random mover. It never looks inside crates.
///
/// - `.random` steps to a random open neighbour or stands still, and drops a bomb on one
///   decision in ten, blind to danger.
/// - `.easy` gets out of every blast it can see coming (`BlastDangerMap`), bombs crates it
///   stands next to when it has a way out, looks no further than six steps for crates and
///   power-ups, and wanders on one decision in four.
/// - `.normal` does the same over the whole reachable board, and also hunts: a cell from
///   which its blast would reach another player is worth more than one with a crate, and it
///   bombs a player in its cross, or one near it who would have no way out.
/// - `.hard` hunts harder: players are worth twice as much when it looks for a spot, but it
///   spends a bomb on players only when one of them would have no way out.
///
/// A decision is made only when the bot's step cooldown is over; meanwhile it repeats its
/// last move, which the rules queue anyway, so its input changes only when its plan does.
/// All search buffers are allocated once.
public struct BlastBot: GameBot {
    public typealias Rules = BlastRules

    public let slot: PlayerSlot
    public let skill: BotSkill
    private var random: SeededRandom
    private var danger: BlastDangerMap
    /// Search marks: a cell is visited in the current search when its mark equals `generation`.
    private var marks: [UInt32]
    private var generation: UInt32 = 0
    /// Per reached cell, the direction (raw value) of the first step towards it, and its distance in steps.
    private var firstStep: [UInt8]
    private var depth: [Int32]
    private var queue: [Int32]
    /// A cell holds another standing player when its mark equals `enemyGeneration`.
    private var enemyMarks: [UInt32]
    private var enemyGeneration: UInt32 = 0
    /// The move part of the last input, repeated while the cooldown runs.
    private var lastMove: PlayerInput = .none
    /// The cell the last plan headed for, favoured a little to keep plans steady.
    private var lastTarget = -1
    /// Other players in the cross of the spot `spotValue` last looked at.
    private var enemiesInCross = 0
    /// Width of the padded grid, to turn cells into coordinates.
    private let cellStride: Int

    public init(rules: BlastRules, slot: PlayerSlot, seed: UInt64, skill: BotSkill) {
        self.slot = slot
        self.skill = skill
        random = SeededRandom(seed: seed)
        let cellCount = rules.board.cellCount
        danger = BlastDangerMap(cellCount: cellCount, bombCapacity: BlastRules.playerLimit * rules.config.maxBombs + 1)
        marks = [UInt32](repeating: 0, count: cellCount)
        firstStep = [UInt8](repeating: 0, count: cellCount)
        depth = [Int32](repeating: 0, count: cellCount)
        queue = [Int32](repeating: 0, count: cellCount)
        enemyMarks = [UInt32](repeating: 0, count: cellCount)
        cellStride = rules.board.stride
    }

    public mutating func nextInput(rules: BlastRules, state: BlastState) -> PlayerInput {
        let me = slot.index
        // A bot made for another map's rules would index past its buffers: play nothing instead.
        guard marks.count == rules.board.cellCount, me < state.players.count, state.players[me].status == .alive else {
            return .none
        }
        if state.players[me].cooldown > 0 { return lastMove }
        let decision = skill == .random ? randomDecision(rules: rules, state: state) : plannedDecision(rules: rules, state: state)
        lastMove = BlastInput(move: decision.move).playerInput
        return decision.playerInput
    }

    // MARK: Random mover

    private mutating func randomDecision(rules: BlastRules, state: BlastState) -> BlastInput {
        let player = state.players[slot.index]
        var choice = BlastInput.Move.stay
        var options = 1
        for direction in BlastDirection.inOrder where isOpen(rules.board.step(player.cell, direction), state) {
            options += 1
            if random.nextIndex(below: options) == 0 { choice = .step(direction) }
        }
        let bomb = player.bombsOnBoard < player.bombCapacity && random.nextIndex(below: 10) == 0
        return BlastInput(move: choice, dropsBomb: bomb)
    }

    // MARK: Planner

    private var enemyWeight: Int {
        switch skill {
        case .random, .easy: 0
        case .normal: 15
        case .hard: 30
        }
    }

    private mutating func plannedDecision(rules: BlastRules, state: BlastState) -> BlastInput {
        let player = state.players[slot.index]
        let here = player.cell
        let interval = Int32(rules.stepInterval(player))
        danger.compute(rules: rules, state: state, extra: nil)
        if danger.isThreatened(here) {
            // Run; with no way out, standing still is as good as anything.
            guard let way = escape(from: here, cooldown: 0, interval: interval, rules: rules, state: state) else {
                return BlastInput(move: .stay)
            }
            return BlastInput(move: .step(way))
        }
        markEnemies(state)
        let hasBomb = player.bombsOnBoard < player.bombCapacity && !state.bombAt[here]
        var dropRefused = false
        let value = hasBomb ? spotValue(here, range: player.range, rules: rules, state: state) : 0
        if value > 0 || (hasBomb && enemyWeight > 0 && enemyNear(here, within: player.range + 2, state)) {
            danger.compute(rules: rules, state: state, extra: (here, player.range))
            if let way = escape(from: here, cooldown: 0, interval: interval, rules: rules, state: state) {
                // Worth it for crates or a player in the cross; the hard bot spends bombs on
                // players only when one could not get away.
                let crates = value - enemiesInCross * enemyWeight
                if crates > 0 || (enemiesInCross > 0 && skill != .hard) || trapsSomeone(rules: rules, state: state) {
                    return BlastInput(move: .step(way), dropsBomb: true)
                }
            }
            // Not here, then: the search below looks for a better spot.
            dropRefused = true
            danger.compute(rules: rules, state: state, extra: nil)
        }
        if skill == .easy && random.nextIndex(below: 4) == 0 {
            return BlastInput(move: wander(from: here, rules: rules, state: state))
        }
        return BlastInput(move: bestTargetMove(from: here, player: player, hasBomb: hasBomb, dropRefused: dropRefused,
                                               rules: rules, state: state))
    }

    /// Whether a player may step onto `cell`: floor or a power-up, without a bomb.
    @inline(__always)
    private func isOpen(_ cell: Int, _ state: BlastState) -> Bool {
        Terrain.isWalkable(state.terrain[cell]) && !state.bombAt[cell]
    }

    private mutating func nextGeneration() {
        generation &+= 1
        if generation == 0 {
            for index in marks.indices { marks[index] = 0 }
            generation = 1
        }
    }

    private mutating func markEnemies(_ state: BlastState) {
        enemyGeneration &+= 1
        if enemyGeneration == 0 {
            for index in enemyMarks.indices { enemyMarks[index] = 0 }
            enemyGeneration = 1
        }
        for index in state.players.indices where index != slot.index && state.players[index].status == .alive {
            enemyMarks[state.players[index].cell] = enemyGeneration
        }
    }

    /// The first step of the shortest way from `start` to a cell no known blast will reach
    /// after the bot gets there, passing only cells that do not burn while it is on them;
    /// nil when there is none. The walker's first step comes after `cooldown` more ticks, then
    /// one every `interval` ticks.
    private mutating func escape(from start: Int, cooldown: Int32, interval: Int32, rules: BlastRules, state: BlastState) -> BlastDirection? {
        // The walker is on its `j`-th cell of a path from step `arrival(j)` through `arrival(j + 1)`.
        func arrival(_ steps: Int32) -> Int32 { steps == 0 ? 1 : cooldown + 1 + (steps - 1) * interval }
        nextGeneration()
        marks[start] = generation
        depth[start] = 0
        queue[0] = Int32(start)
        var read = 0
        var write = 1
        while read < write {
            let cell = Int(queue[read])
            read += 1
            let steps = depth[cell]
            let leaving = arrival(steps + 1)
            if danger.burns(cell, from: arrival(steps), through: leaving) { continue }
            for direction in BlastDirection.inOrder {
                let next = rules.board.step(cell, direction)
                guard marks[next] != generation else { continue }
                marks[next] = generation
                guard isOpen(next, state) else { continue }
                let first = steps == 0 ? direction.rawValue : firstStep[cell]
                if !danger.isThreatened(next) || danger.end[next] < leaving { return BlastDirection(rawValue: first) }
                firstStep[next] = first
                depth[next] = steps + 1
                queue[write] = Int32(next)
                write += 1
            }
        }
        return nil
    }

    /// What a bomb dropped on `cell` would achieve: 10 per crate it would open (that no other
    /// blast is about to), `enemyWeight` per other player in its cross.
    private mutating func spotValue(_ cell: Int, range: Int, rules: BlastRules, state: BlastState) -> Int {
        var value = 0
        enemiesInCross = 0
        if enemyMarks[cell] == enemyGeneration { enemiesInCross += 1 }
        for direction in BlastDirection.inOrder {
            let delta = rules.board.delta(direction)
            var reached = cell
            for _ in 0 ..< range {
                reached += delta
                let code = state.terrain[reached]
                if enemyMarks[reached] == enemyGeneration { enemiesInCross += 1 }
                if Terrain.isCrate(code) {
                    if state.flame[reached] == 0 && !danger.isThreatened(reached) { value += 10 }
                    break
                }
                if code != Terrain.floor || state.bombAt[reached] { break }
            }
        }
        return value + enemiesInCross * enemyWeight
    }

    /// Whether another standing player within `distance` steps (as the crow flies) of `cell`.
    private func enemyNear(_ cell: Int, within distance: Int, _ state: BlastState) -> Bool {
        let stride = cellStride
        let x = cell % stride
        let y = cell / stride
        for index in state.players.indices where index != slot.index && state.players[index].status == .alive {
            let other = state.players[index].cell
            if abs(other % stride - x) + abs(other / stride - y) <= distance { return true }
        }
        return false
    }

    /// Whether some other standing player could not get away from the blasts the danger map
    /// now holds (computed with the bomb the bot is thinking of dropping).
    private mutating func trapsSomeone(rules: BlastRules, state: BlastState) -> Bool {
        for index in state.players.indices where index != slot.index && state.players[index].status == .alive {
            let other = state.players[index]
            guard danger.isThreatened(other.cell) else { continue }
            if escape(from: other.cell, cooldown: Int32(other.cooldown), interval: Int32(rules.stepInterval(other)),
                      rules: rules, state: state) == nil {
                return true
            }
        }
        return false
    }

    /// What a power-up on `cell` is worth to this player: much while it still raises a power.
    private func itemValue(_ cell: Int, player: BlastPlayer, rules: BlastRules, state: BlastState) -> Int {
        let config = rules.config
        let code = state.terrain[cell]
        guard Terrain.isItem(code), let kind = Terrain.powerUp(in: code) else { return 0 }
        switch kind {
        case .range: return player.range < config.maxRange ? 25 : 3
        case .bomb: return player.bombCapacity < config.maxBombs ? 25 : 3
        case .speed: return player.speedUps < config.maxSpeedUps ? 25 : 3
        }
    }

    /// A breadth-first search over cells no blast threatens, scoring each by what it offers
    /// (power-ups; crates and players to bomb when a bomb is free) less its distance; the
    /// move is the first step towards the best, or staying when nothing is worth going for.
    private mutating func bestTargetMove(from start: Int, player: BlastPlayer, hasBomb: Bool, dropRefused: Bool,
                                         rules: BlastRules, state: BlastState) -> BlastInput.Move {
        let maxDepth: Int32 = skill == .easy ? 6 : Int32.max
        let bombFree = player.bombsOnBoard < player.bombCapacity
        nextGeneration()
        marks[start] = generation
        depth[start] = 0
        queue[0] = Int32(start)
        var read = 0
        var write = 1
        var bestScore = Int.min
        var bestCell = start
        var ties = 0
        while read < write {
            let cell = Int(queue[read])
            read += 1
            let steps = depth[cell]
            var value = itemValue(cell, player: player, rules: rules, state: state)
            if bombFree && !(cell == start && (dropRefused || !hasBomb)) && !state.bombAt[cell] {
                value += spotValue(cell, range: player.range, rules: rules, state: state)
            }
            if value > 0 {
                let score = value * 3 - Int(steps) * 2 + (cell == lastTarget ? 2 : 0)
                if score > bestScore {
                    bestScore = score
                    bestCell = cell
                    ties = 1
                } else if score == bestScore {
                    ties += 1
                    if random.nextIndex(below: ties) == 0 { bestCell = cell }
                }
            }
            guard steps < maxDepth else { continue }
            for direction in BlastDirection.inOrder {
                let next = rules.board.step(cell, direction)
                guard marks[next] != generation else { continue }
                marks[next] = generation
                guard isOpen(next, state), !danger.isThreatened(next) else { continue }
                firstStep[next] = steps == 0 ? direction.rawValue : firstStep[cell]
                depth[next] = steps + 1
                queue[write] = Int32(next)
                write += 1
            }
        }
        lastTarget = bestCell
        guard bestCell != start, let direction = BlastDirection(rawValue: firstStep[bestCell]) else { return .stay }
        return .step(direction)
    }

    /// A random step to a neighbour no blast threatens, or staying.
    private mutating func wander(from cell: Int, rules: BlastRules, state: BlastState) -> BlastInput.Move {
        var choice = BlastInput.Move.stay
        var options = 1
        for direction in BlastDirection.inOrder {
            let next = rules.board.step(cell, direction)
            guard isOpen(next, state), !danger.isThreatened(next) else { continue }
            options += 1
            if random.nextIndex(below: options) == 0 { choice = .step(direction) }
        }
        return choice
    }
}
