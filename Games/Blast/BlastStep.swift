import MeshplayCore

extension BlastRules {
    /// Advances one tick. The order of events:
    ///
    /// 1. Flames age by one tick. A crate whose flames go out is gone, leaving the power-up
    ///    it hid (or floor).
    /// 2. Every bomb's fuse counts down; bombs reaching 0 explode (see `explodeDueBombs`).
    ///    A bomb dropped in tick `t` explodes in tick `t + fuseTicks`.
    /// 3. Players standing in fire are out (see `catchPlayersInFire`).
    /// 4. Players still standing act, in slot order, on their input (bit layout: `BlastInput`):
    ///    - a bomb drop puts a bomb on the player's cell, unless one is there already or the
    ///      player has `bombCapacity` bombs on the board;
    ///    - a move becomes the player's queued step ("stay" clears it, "nothing" keeps it);
    ///    - a player whose cooldown is over takes its queued step, unless the cell ahead is
    ///      a wall, a crate or a bomb (a bomb it stands on does not hold it back); the step
    ///      is used up either way, and a taken step starts a cooldown: the next step comes
    ///      `moveTicks - speedUps` ticks later. Players do not block each other.
    ///    - stepping onto a power-up takes it (in slot order, so the lowest slot wins a tie):
    ///      range +1, bombs +1, or one tick off the step interval, each up to its cap.
    /// 5. Players who stepped into fire are out.
    ///
    /// After the match is over (`isOver`), `step` changes nothing.
    public func step(_ state: inout BlastState, inputs: [PlayerInput]) {
        guard !isOver(state) else { return }
        ageFlames(&state)
        if !state.bombs.isEmpty { explodeDueBombs(&state) }
        catchPlayersInFire(&state)
        for index in 0 ..< state.players.count where state.players[index].status == .alive {
            act(index, index < inputs.count ? BlastInput(inputs[index]) : BlastInput(), in: &state)
        }
        catchPlayersInFire(&state)
        state.tick += 1
    }

    /// Step 1: every burning cell burns one tick less; burnt-out crates open.
    func ageFlames(_ state: inout BlastState) {
        var position = 0
        while position < state.flameCells.count {
            let cell = Int(state.flameCells[position])
            let left = state.flame[cell] - 1
            state.flame[cell] = left
            if left > 0 {
                position += 1
                continue
            }
            let code = state.terrain[cell]
            if Terrain.isCrate(code) { state.terrain[cell] = Terrain.burnt(code) }
            // Swap-remove: the list's order carries no meaning.
            state.flameCells[position] = state.flameCells[state.flameCells.count - 1]
            state.flameCells.removeLast()
        }
    }

    /// Steps 3 and 5: a standing player on a burning cell is out. The player whose blast lit
    /// that fire scores a kill, unless it is the victim itself (no score for a self-kill).
    func catchPlayersInFire(_ state: inout BlastState) {
        guard !state.flameCells.isEmpty else { return }
        for index in 0 ..< state.players.count where state.players[index].status == .alive {
            let cell = state.players[index].cell
            guard state.flame[cell] > 0 else { continue }
            let killer = Int(state.flameOwner[cell])
            state.players[index].status = .dead
            state.players[index].fallTick = state.tick
            state.players[index].queuedStep = 0
            state.standing -= 1
            if killer != index {
                state.players[killer].kills += 1
                state.players[index].killedBy = killer + 1
            }
        }
    }

    /// Step 4 for one standing player.
    @inline(__always)
    func act(_ index: Int, _ input: BlastInput, in state: inout BlastState) {
        let cell = state.players[index].cell
        if input.dropsBomb && !state.bombAt[cell] && state.players[index].bombsOnBoard < state.players[index].bombCapacity {
            state.bombs.append(BlastBomb(cell: UInt16(truncatingIfNeeded: cell), owner: UInt8(truncatingIfNeeded: index),
                                         range: UInt8(truncatingIfNeeded: state.players[index].range),
                                         fuse: UInt16(truncatingIfNeeded: config.fuseTicks)))
            state.bombAt[cell] = true
            state.players[index].bombsOnBoard += 1
        }
        switch input.move {
        case .none: break
        case .stay: state.players[index].queuedStep = 0
        case .step(let direction): state.players[index].queuedStep = direction.rawValue
        }
        if state.players[index].cooldown > 0 {
            state.players[index].cooldown -= 1
            return
        }
        guard let direction = BlastDirection(rawValue: state.players[index].queuedStep) else { return }
        state.players[index].queuedStep = 0
        let target = board.step(cell, direction)
        let code = state.terrain[target]
        guard Terrain.isWalkable(code), !state.bombAt[target] else { return }
        state.players[index].cell = target
        state.players[index].cooldown = stepInterval(state.players[index]) - 1
        if code != Terrain.floor { pickUp(code, at: target, by: index, in: &state) }
    }

    /// Slot `index` takes the power-up lying at `cell`.
    func pickUp(_ code: UInt8, at cell: Int, by index: Int, in state: inout BlastState) {
        state.terrain[cell] = Terrain.floor
        state.players[index].powerUpsTaken += 1
        switch Terrain.powerUp(in: code) {
        case .range: state.players[index].range = min(state.players[index].range + 1, config.maxRange)
        case .bomb: state.players[index].bombCapacity = min(state.players[index].bombCapacity + 1, config.maxBombs)
        case .speed: state.players[index].speedUps = min(state.players[index].speedUps + 1, config.maxSpeedUps)
        case nil: break
        }
    }
}
