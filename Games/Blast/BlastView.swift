import MeshplayCore

extension BlastRules {
    /// The board, best-first scoreboard (kills, and "alive", "dead" or "left") and a status
    /// line such as "tick 120 of 5400, 3 of 4 standing".
    ///
    /// A cell shows, from the top: a standing player (the lowest slot if several share it,
    /// even when it stands on a bomb), fire, a bomb, a crate or wall, a power-up, or the mark
    /// of a fallen player. Crates never show what they hide.
    public func view(of state: BlastState, players: [PlayerInfo]) -> GameView {
        let map = config.map
        var cells = [GameCell](repeating: .empty, count: map.width * map.height)
        for y in 0 ..< map.height {
            for x in 0 ..< map.width {
                let cell = board.cell(x: x, y: y)
                let code = state.terrain[cell]
                if state.flame[cell] > 0 {
                    cells[y * map.width + x] = BlastGlyphs.fire
                } else if code == Terrain.wall {
                    cells[y * map.width + x] = BlastGlyphs.wall
                } else if Terrain.isCrate(code) {
                    cells[y * map.width + x] = BlastGlyphs.crate
                } else if let kind = Terrain.powerUp(in: code) {
                    cells[y * map.width + x] = BlastGlyphs.powerUp(kind)
                }
            }
        }
        for index in state.players.indices.reversed() where state.players[index].status == .dead {
            let at = point(state.players[index].cell)
            if cells[at.y * map.width + at.x] == .empty { cells[at.y * map.width + at.x] = BlastGlyphs.fallen }
        }
        let soon = max(config.fuseTicks / 3, 1)
        for bomb in state.bombs {
            let at = point(Int(bomb.cell))
            cells[at.y * map.width + at.x] = Int(bomb.fuse) <= soon ? BlastGlyphs.bombAboutToBlow : BlastGlyphs.bomb(PlayerSlot(Int(bomb.owner)))
        }
        // Reversed, so the lowest slot on a shared cell is drawn last and shows.
        for index in state.players.indices.reversed() where state.players[index].status == .alive {
            let at = point(state.players[index].cell)
            cells[at.y * map.width + at.x] = BlastGlyphs.player(PlayerSlot(index))
        }
        let scoreboard = ranking(of: state).map { placing in
            ScoreLine(slot: placing.slot, name: name(of: placing.slot, players: players), score: placing.score,
                      status: state.players[placing.slot.index].status.description)
        }
        return GameView(width: map.width, height: map.height, cells: cells, scoreboard: scoreboard, status: statusLine(state))
    }

    /// "tick 120 of 5400, 3 of 4 standing"; once over, the reason instead of the count.
    func statusLine(_ state: BlastState) -> String {
        let clock = "tick \(state.tick) of \(config.matchTicks)"
        guard isOver(state) else { return "\(clock), \(state.standing) of \(state.players.count) standing" }
        return "\(clock), \(endReason(state))"
    }

    private func name(of slot: PlayerSlot, players: [PlayerInfo]) -> String {
        players.first { $0.slot == slot }?.name ?? slot.description
    }
}
