extension BlastRules {
    /// Step 2: fuses count down and due bombs explode, chains included.
    ///
    /// Bombs whose fuse reaches 0 explode in the order they were dropped; a bomb reached by a
    /// blast explodes in the same tick, after every bomb already waiting to (breadth first),
    /// whatever its own fuse. Each explosion lights its own cell, then sends a ray up, right,
    /// down and left, in that order, of the bomb's range in cells. A ray
    /// - stops before a wall;
    /// - lights a crate and stops there (a crate already burning just stops it): the crate
    ///   burns for `flameTicks` and then opens;
    /// - lights a power-up lying in the open, destroying it, and stops there;
    /// - lights a bomb's cell, sets that bomb off, and stops there;
    /// - lights any other cell and goes on (fire already there is relit, and changes owner).
    /// Flames burn `flameTicks` ticks. The first blast to reach a cell in a tick owns its
    /// fire, which decides who scores when it catches a player.
    func explodeDueBombs(_ state: inout BlastState) {
        state.explosionQueue.removeAll(keepingCapacity: true)
        for index in state.bombs.indices {
            state.bombs[index].fuse -= 1
            if state.bombs[index].fuse == 0 { state.explosionQueue.append(state.bombs[index].cell) }
        }
        var next = 0
        while next < state.explosionQueue.count {
            let cell = Int(state.explosionQueue[next])
            next += 1
            // Each queued cell holds exactly one bomb (one bomb a cell; a bomb is queued once).
            guard let index = state.bombs.firstIndex(where: { $0.cell == UInt16(truncatingIfNeeded: cell) }) else { continue }
            let bomb = state.bombs.remove(at: index)
            state.bombAt[cell] = false
            state.players[Int(bomb.owner)].bombsOnBoard -= 1
            explode(bomb, at: cell, in: &state)
        }
    }

    /// One bomb's cross of fire; bombs it reaches join the explosion queue.
    @inline(__always)
    func explode(_ bomb: BlastBomb, at cell: Int, in state: inout BlastState) {
        let owner = bomb.owner
        state.light(cell, owner: owner, ticks: flameTicks)
        for delta in board.deltas {
            var reached = cell
            for _ in 0 ..< Int(bomb.range) {
                reached += delta
                let code = state.terrain[reached]
                if code == Terrain.wall { break }
                if Terrain.isCrate(code) {
                    if state.flame[reached] == 0 { state.light(reached, owner: owner, ticks: flameTicks) }
                    break
                }
                if Terrain.isItem(code) {
                    state.terrain[reached] = Terrain.floor
                    state.light(reached, owner: owner, ticks: flameTicks)
                    break
                }
                state.light(reached, owner: owner, ticks: flameTicks)
                if state.bombAt[reached] {
                    setOff(bombAt: reached, in: &state)
                    break
                }
            }
        }
    }

    /// Queues the bomb at `cell` to explode this tick, unless it already is.
    @inline(__always)
    func setOff(bombAt cell: Int, in state: inout BlastState) {
        let code = UInt16(truncatingIfNeeded: cell)
        for index in state.bombs.indices where state.bombs[index].cell == code {
            if state.bombs[index].fuse > 0 {
                state.bombs[index].fuse = 0
                state.explosionQueue.append(code)
            }
            return
        }
    }
}
