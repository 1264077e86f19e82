import MeshplayCore

/// The glyphs a snake board is drawn with (Unicode, then the ASCII fallback).
public enum SnakeGlyphs {
    /// A wall cell.
    public static let wall = GameCell(glyph: "█", asciiGlyph: "#", role: .wall)
    /// A food item.
    public static let food = GameCell(glyph: "●", asciiGlyph: "*", role: .item)
    /// Where a respawning snake last died.
    public static let deathMark = GameCell(glyph: "✖", asciiGlyph: "x", role: .dead)

    /// A body cell of `slot`'s snake ("O" in ASCII when it is the viewer's own snake).
    public static func body(_ slot: PlayerSlot) -> GameCell {
        GameCell(glyph: "■", asciiGlyph: "o", role: .player(slot), ownAsciiGlyph: "O")
    }

    /// A head: an arrow showing where it is going.
    public static func head(_ slot: PlayerSlot, _ direction: Direction) -> GameCell {
        GameCell(glyph: direction.arrow, asciiGlyph: direction.asciiArrow, role: .playerHead(slot))
    }
}

extension SnakeRules {
    /// The board, best-first scoreboard and a status line such as "tick 120 of 2000".
    /// Respawning snakes are off the board; the cell where they died shows a cross
    /// until they return, if nothing else covers it.
    public func view(of state: SnakeState, players: [PlayerInfo]) -> GameView {
        let map = config.map
        var cells = [GameCell](repeating: .empty, count: map.width * map.height)
        for y in 0 ..< map.height {
            for x in 0 ..< map.width {
                let code = state.grid[board.cell(x: x, y: y)]
                if code == CellCode.wall {
                    cells[y * map.width + x] = SnakeGlyphs.wall
                } else if code == CellCode.food {
                    cells[y * map.width + x] = SnakeGlyphs.food
                } else if CellCode.isSnake(code) {
                    cells[y * map.width + x] = SnakeGlyphs.body(PlayerSlot(CellCode.owner(code)))
                }
            }
        }
        for index in state.snakes.indices {
            let record = state.snakes[index]
            switch record.status {
            case .alive:
                let (x, y) = board.coordinates(of: state.head(of: index))
                cells[y * map.width + x] = SnakeGlyphs.head(PlayerSlot(index), record.direction)
            case .respawning where record.lastDeathCell != 0 && state.grid[record.lastDeathCell] == CellCode.floor:
                let (x, y) = board.coordinates(of: record.lastDeathCell)
                cells[y * map.width + x] = SnakeGlyphs.deathMark
            default:
                break
            }
        }
        let scoreboard = ranking(of: state).map { placing in
            ScoreLine(slot: placing.slot,
                      name: name(of: placing.slot, players: players),
                      score: placing.score,
                      status: statusWord(state.snakes[placing.slot.index]))
        }
        return GameView(width: map.width, height: map.height, cells: cells, scoreboard: scoreboard, status: statusLine(state))
    }

    /// "alive", "respawn N" (ticks to wait), "blocked" (waiting for a free spawn) or "left".
    func statusWord(_ record: SnakeRecord) -> String {
        switch record.status {
        case .alive: "alive"
        case .respawning: record.respawnCountdown > 0 ? "respawn \(record.respawnCountdown)" : "blocked"
        case .left: "left"
        }
    }

    /// "tick 120 of 2000", with the reason appended once the match is over.
    func statusLine(_ state: SnakeState) -> String {
        let clock = "tick \(state.tick) of \(config.matchTicks)"
        guard isOver(state) else { return clock }
        return state.playersPresent == 0 ? "\(clock), everyone left" : "\(clock), time up"
    }

    private func name(of slot: PlayerSlot, players: [PlayerInfo]) -> String {
        players.first { $0.slot == slot }?.name ?? slot.description
    }

    /// A readable dump for desync reports: settings, clock, generator, food, every snake
    /// with its tallies and body (x,y from tail to head), then the board in ASCII.
    public func describe(_ state: SnakeState) -> String {
        let map = config.map
        var lines: [String] = []
        lines.append("snake v\(Self.identity.version) map \"\(map.name)\" \(map.width)x\(map.height) \(statusLine(state))")
        lines.append("settings: respawn \(config.respawnDelay), food \(config.foodCount), start length \(config.startLength), growth \(config.growthPerFood), kill bonus \(config.killBonus)")
        let random = state.random
        lines.append("random: \(hex(random.s0)) \(hex(random.s1)) \(hex(random.s2)) \(hex(random.s3))")
        let foodText = state.food.map { $0 == 0 ? "none" : coordinatesText(Int($0)) }.joined(separator: " ")
        lines.append("food: \(foodText)")
        for index in state.snakes.indices {
            let record = state.snakes[index]
            var line = "\(PlayerSlot(index)): \(statusWord(record)) heading \(record.direction) length \(record.length)"
            line += " growth \(record.pendingGrowth) score \(record.score(killBonus: config.killBonus))"
            line += " food \(record.foodEaten) kills \(record.kills) deaths \(record.deaths)"
            if record.lastDeathCell != 0 { line += " last death \(coordinatesText(record.lastDeathCell))" }
            lines.append(line)
            if record.status == .alive {
                lines.append("  body: " + state.cells(of: index).map(coordinatesText).joined(separator: " "))
            }
        }
        let picture = view(of: state, players: [])
        for y in 0 ..< map.height {
            var row = ""
            for x in 0 ..< map.width {
                let cell = picture[x, y]
                row.unicodeScalars.append(cell.role == .floor ? "." : cell.asciiGlyph)
            }
            lines.append(row)
        }
        return lines.joined(separator: "\n")
    }

    private func coordinatesText(_ cell: Int) -> String {
        let (x, y) = board.coordinates(of: cell)
        return "\(x),\(y)"
    }

    private func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
