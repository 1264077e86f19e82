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
        let respawnDue = state.withBoard { board in moveSnakes(on: board, inputs: inputs) }

        // 6. Respawns (countdowns were counted down by `moveSnakes`). Spawning reads the board
        // as earlier respawns this tick left it, so this runs in slot order.
        if respawnDue {
            for index in 0 ..< state.snakes.count
            where state.snakes[index].status == .respawning && !state.snakes[index].diesThisTick
                && state.snakes[index].respawnCountdown == 0 {
                _ = tryRespawn(index, in: &state)
            }
        }

        // 7. Food.
        if state.food.contains(0) { state.refillFood() }

        state.tick += 1
    }

    /// Steps 1 to 5 of `step`, and step 6's countdowns. Returns whether some snake is due to respawn.
    ///
    /// Steps share passes where the result is the same: steering reads only heads, so tails
    /// leave in the same pass; a snake's head-on verdict is final once the pairs that start
    /// with it are checked, so its wall and body check follows at once; countdowns touch
    /// only snakes that were already off the board.
    private func moveSnakes(on board: OpenBoard, inputs: [PlayerInput]) -> Bool {
        let snakes = board.snakes
        let count = snakes.count

        // 1. Steering and targets, and 2. tails.
        for index in 0 ..< count {
            snakes[index].diesThisTick = false
            guard snakes[index].status == .alive else { continue }
            var direction = snakes[index].direction
            if index < inputs.count, let wanted = Direction(input: inputs[index]),
               wanted != direction.opposite || snakes[index].length < 2 {
                direction = wanted
            }
            snakes[index].direction = direction
            let head = board.head(of: index)
            snakes[index].oldHead = head
            snakes[index].target = self.board.step(head, direction)
            if snakes[index].pendingGrowth > 0 {
                snakes[index].pendingGrowth &-= 1
            } else {
                board.dropTail(of: index)
            }
        }

        for first in 0 ..< count where snakes[first].status == .alive {
            // 3. Head-on: shared targets and swaps. Pairwise is cheapest for at most 16 snakes.
            let firstTarget = snakes[first].target
            let firstHead = snakes[first].oldHead
            for second in first + 1 ..< count where snakes[second].status == .alive {
                let secondTarget = snakes[second].target
                if firstTarget == secondTarget || (firstTarget == snakes[second].oldHead && secondTarget == firstHead) {
                    snakes[first].diesThisTick = true
                    snakes[second].diesThisTick = true
                }
            }

            // 4. Walls and bodies.
            guard !snakes[first].diesThisTick else { continue }
            let code = board.grid[firstTarget]
            if code == CellCode.wall {
                snakes[first].diesThisTick = true
            } else if CellCode.isSnake(code) {
                snakes[first].diesThisTick = true
                let owner = CellCode.owner(code)
                if owner != first { snakes[owner].kills += 1 }
            }
        }

        var respawnDue = false
        for index in 0 ..< count {
            switch snakes[index].status {
            case .alive where snakes[index].diesThisTick:
                // 5. Deaths...
                snakes[index].lastDeathCell = snakes[index].oldHead
                board.clearBody(of: index)
                snakes[index].status = .respawning
                snakes[index].respawnCountdown = config.respawnDelay
                snakes[index].deaths += 1
            case .alive:
                // ...and moves.
                let target = snakes[index].target
                if board.grid[target] == CellCode.food { eat(at: target, by: index, on: board) }
                board.pushHead(target, of: index)
                board.setCell(target, CellCode.snake(index))
            case .respawning:
                // 6. Respawn countdowns (a snake that died this tick was handled above).
                if snakes[index].respawnCountdown > 0 { snakes[index].respawnCountdown &-= 1 }
                if snakes[index].respawnCountdown == 0 { respawnDue = true }
            case .left:
                break
            }
        }
        return respawnDue
    }
}
