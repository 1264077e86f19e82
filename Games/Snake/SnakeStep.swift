import MeshplayCore

extension SnakeRules {
    /// Advances one tick. Every snake on the board moves at once; the order of events is:
    ///
    /// 1. Steering: input 1 up, 2 right, 3 down, 4 left; 0 and any other value keep the
    ///    heading. A turn straight back into the snake's own neck is ignored (a one-cell
    ///    snake has no neck and may turn any way).
    /// 2. Tails: a snake with pending growth keeps its tail (and uses up one tick of
    ///    growth); every other snake's tail cell is vacated *before* heads move, so a
    ///    head may follow any tail, its own included, into the cell it leaves.
    ///    Food eaten this tick only lengthens the snake from the next tick on.
    /// 3. Head-on collisions: when two or more heads enter the same cell, or two heads
    ///    swap cells, every snake involved dies. Nobody gets a kill for a head-on.
    /// 4. Other collisions: a head entering a wall or any snake body (as it stands after
    ///    step 2, so bodies of snakes dying this tick still count) dies. Running into
    ///    another snake's body gives that snake a kill.
    /// 5. Dead snakes leave the board at once and wait `respawnDelay` ticks; survivors
    ///    move, and a head entering food eats it: one point and `growthPerFood` cells.
    /// 6. Respawns: a snake whose wait is over re-enters as one cell at the first spawn
    ///    point not covered by a snake (see `tryRespawn`); if all are covered it retries
    ///    every tick. A snake that died this tick does not count down yet.
    /// 7. Food: eaten items are replaced at uniformly random empty floor cells, drawn from
    ///    the match's seeded generator; when no cell is free the item waits.
    ///
    /// After the match is over, `step` changes nothing.
    public func step(_ state: inout SnakeState, inputs: [PlayerInput]) {
        guard !isOver(state) else { return }
        let count = state.snakes.count

        // 1. Steering and targets.
        for index in 0 ..< count {
            state.snakes[index].diesThisTick = false
            guard state.snakes[index].status == .alive else { continue }
            var direction = state.snakes[index].direction
            if index < inputs.count, let wanted = Direction(input: inputs[index]),
               wanted != direction.opposite || state.snakes[index].length < 2 {
                direction = wanted
            }
            state.snakes[index].direction = direction
            state.snakes[index].target = board.step(state.head(of: index), direction)
        }

        // 2. Tails.
        for index in 0 ..< count where state.snakes[index].status == .alive {
            if state.snakes[index].pendingGrowth > 0 {
                state.snakes[index].pendingGrowth -= 1
            } else {
                state.dropTail(of: index)
            }
        }

        // 3. Head-on: shared targets and swaps. Pairwise is cheapest for at most 16 snakes.
        // `head(of:)` still names the old head of a one-cell snake whose tail just left:
        // dropping a tail only shortens the ring, it does not erase it.
        for first in 0 ..< count where state.snakes[first].status == .alive {
            let firstTarget = state.snakes[first].target
            for second in first + 1 ..< count where state.snakes[second].status == .alive {
                let secondTarget = state.snakes[second].target
                if firstTarget == secondTarget
                    || (firstTarget == state.head(of: second) && secondTarget == state.head(of: first)) {
                    state.snakes[first].diesThisTick = true
                    state.snakes[second].diesThisTick = true
                }
            }
        }

        // 4. Walls and bodies.
        for index in 0 ..< count where state.snakes[index].status == .alive && !state.snakes[index].diesThisTick {
            let code = state.grid[state.snakes[index].target]
            if code == CellCode.wall {
                state.snakes[index].diesThisTick = true
            } else if CellCode.isSnake(code) {
                state.snakes[index].diesThisTick = true
                let owner = CellCode.owner(code)
                if owner != index { state.snakes[owner].kills += 1 }
            }
        }

        // 5. Deaths and moves.
        for index in 0 ..< count where state.snakes[index].status == .alive {
            if state.snakes[index].diesThisTick {
                state.snakes[index].lastDeathCell = state.head(of: index)
                state.clearBody(of: index)
                state.snakes[index].status = .respawning
                state.snakes[index].respawnCountdown = config.respawnDelay
                state.snakes[index].deaths += 1
            } else {
                let target = state.snakes[index].target
                if state.grid[target] == CellCode.food { eat(at: target, by: index, in: &state) }
                state.pushHead(target, of: index)
                state.setCell(target, CellCode.snake(index))
            }
        }

        // 6. Respawns.
        for index in 0 ..< count
        where state.snakes[index].status == .respawning && !state.snakes[index].diesThisTick {
            if state.snakes[index].respawnCountdown > 0 { state.snakes[index].respawnCountdown -= 1 }
            if state.snakes[index].respawnCountdown == 0 { _ = tryRespawn(index, in: &state) }
        }

        // 7. Food.
        if state.food.contains(0) { state.refillFood() }

        state.tick += 1
    }
}
