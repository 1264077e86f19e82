import MeshplayCore

extension BlastRules {
    /// A readable dump for desync reports: settings, clock, every player with its powers and
    /// tallies, the bombs, the board in ASCII (floor as `.`), then the crates with what they
    /// hide (`r` range, `b` bomb, `s` speed, `%` nothing).
    public func describe(_ state: BlastState) -> String {
        let map = config.map
        var lines: [String] = []
        lines.append("blast v\(Self.identity.version) map \"\(map.name)\" \(map.width)x\(map.height) \(statusLine(state))")
        lines.append("settings: fuse \(config.fuseTicks), flames \(config.flameTicks), range \(config.startRange)-\(config.maxRange), "
            + "bombs \(config.startBombs)-\(config.maxBombs), step every \(config.moveTicks) less up to \(config.maxSpeedUps), "
            + "power-ups \(config.powerUpPercent)% (\(config.rangeWeight):\(config.bombWeight):\(config.speedWeight))")
        for index in state.players.indices {
            let player = state.players[index]
            var line = "\(PlayerSlot(index)): \(player.status) at \(point(player.cell)) range \(player.range)"
            line += " bombs \(player.bombsOnBoard)/\(player.bombCapacity) speed-ups \(player.speedUps) cooldown \(player.cooldown)"
            line += " queued \(BlastDirection(rawValue: player.queuedStep)?.description ?? "none")"
            line += " kills \(player.kills) power-ups \(player.powerUpsTaken)"
            if player.status != .alive { line += " fell at tick \(player.fallTick)" }
            if player.killedBy > 0 { line += " by \(PlayerSlot(player.killedBy - 1))" }
            lines.append(line)
        }
        let bombText = state.bombs.map { "\(point(Int($0.cell))) \(PlayerSlot(Int($0.owner))) range \($0.range) fuse \($0.fuse)" }
        lines.append("bombs: " + (bombText.isEmpty ? "none" : bombText.joined(separator: "; ")))
        lines.append("burning cells: \(state.flameCells.count)")
        let picture = view(of: state, players: [])
        for y in 0 ..< map.height {
            var row = ""
            for x in 0 ..< map.width {
                let cell = picture[x, y]
                row.unicodeScalars.append(cell == .empty ? "." : cell.asciiGlyph)
            }
            lines.append(row)
        }
        lines.append("crates and what they hide:")
        for y in 0 ..< map.height {
            var row = ""
            for x in 0 ..< map.width {
                let code = state.terrain[board.cell(x: x, y: y)]
                let mark: Unicode.Scalar = switch code {
                case Terrain.crate: "%"
                case Terrain.crate(hiding: .range): "r"
                case Terrain.crate(hiding: .bomb): "b"
                case Terrain.crate(hiding: .speed): "s"
                case Terrain.wall: "#"
                default: "."
                }
                row.unicodeScalars.append(mark)
            }
            lines.append(row)
        }
        return lines.joined(separator: "\n")
    }
}
