/// When each cell will burn, as far as the bombs and flames on the board tell: the bot's
/// picture of danger. Times are steps from now: step 1 is the next `step` call.
///
/// A bomb with fuse `f` explodes in step `f`, or earlier when a blast that comes first
/// reaches it (chains are followed). Its cross burns from that step for `flameTicks` steps.
/// A cell reached by several blasts keeps one window from the earliest start to the latest
/// end, which overstates the danger a little. Rays pass power-ups and burning crates (see
/// `stopsRay`); a standing crate stops them even if an earlier blast will open it first,
/// which the bot sees once that crate burns.
///
/// All storage is allocated once; a computation touches only the cells it marks.
struct BlastDangerMap: Sendable {
    /// `start` of a cell no known blast reaches.
    static let never = Int32.max

    /// Per cell, the first step it burns (or `never`).
    private(set) var start: [Int32]
    /// Per cell, the last step it burns (meaningful when `start` is not `never`).
    private(set) var end: [Int32]
    /// Cells whose `start` is set, to reset them without clearing the whole grid.
    private var touched: [Int32]
    private var bombCell: [Int32]
    private var bombRange: [Int32]
    private var bombTime: [Int32]
    /// Per bomb, the bombs its four rays reach first (-1 for none).
    private var reach: [Int32]
    /// Per cell, the index of the bomb on it during a computation (-1 for none).
    private var bombIndexAt: [Int32]

    init(cellCount: Int, bombCapacity: Int) {
        start = [Int32](repeating: BlastDangerMap.never, count: cellCount)
        end = [Int32](repeating: 0, count: cellCount)
        touched = []
        touched.reserveCapacity(cellCount)
        bombCell = []
        bombCell.reserveCapacity(bombCapacity)
        bombRange = []
        bombRange.reserveCapacity(bombCapacity)
        bombTime = []
        bombTime.reserveCapacity(bombCapacity)
        reach = []
        reach.reserveCapacity(bombCapacity * 4)
        bombIndexAt = [Int32](repeating: -1, count: cellCount)
    }

    /// Whether some known blast will reach `cell`.
    @inline(__always)
    func isThreatened(_ cell: Int) -> Bool { start[cell] != BlastDangerMap.never }

    /// Whether `cell` burns at any step in `from ... through`.
    @inline(__always)
    func burns(_ cell: Int, from: Int32, through: Int32) -> Bool {
        start[cell] <= through && end[cell] >= from
    }

    /// Recomputes the map for `state`, with an extra bomb of `extra.range` dropped now on
    /// `extra.cell` when given (to ask "could I get away if I dropped one here?").
    mutating func compute(rules: BlastRules, state: BlastState, extra: (cell: Int, range: Int)?) {
        for cell in touched { start[Int(cell)] = BlastDangerMap.never }
        touched.removeAll(keepingCapacity: true)
        bombCell.removeAll(keepingCapacity: true)
        bombRange.removeAll(keepingCapacity: true)
        bombTime.removeAll(keepingCapacity: true)
        reach.removeAll(keepingCapacity: true)
        for bomb in state.bombs {
            addBomb(cell: Int(bomb.cell), range: Int(bomb.range), time: Int32(bomb.fuse))
        }
        if let extra, bombIndexAt[extra.cell] < 0 {
            addBomb(cell: extra.cell, range: extra.range, time: Int32(rules.config.fuseTicks))
        }
        let board = rules.board
        // Which bomb each ray sets off first.
        for index in bombCell.indices {
            for direction in BlastDirection.inOrder {
                var found: Int32 = -1
                var cell = Int(bombCell[index])
                let delta = board.delta(direction)
                for _ in 0 ..< bombRange[index] {
                    cell += delta
                    if stopsRay(cell, state) { break }
                    if bombIndexAt[cell] >= 0 {
                        found = bombIndexAt[cell]
                        break
                    }
                }
                reach.append(found)
            }
        }
        // Chains: a bomb goes off no later than any bomb whose ray reaches it.
        var changed = true
        var rounds = 0
        while changed && rounds <= bombCell.count {
            changed = false
            rounds += 1
            for index in bombCell.indices {
                for ray in 0 ..< 4 {
                    let other = Int(reach[index * 4 + ray])
                    if other >= 0 && bombTime[other] > bombTime[index] {
                        bombTime[other] = bombTime[index]
                        changed = true
                    }
                }
            }
        }
        let flameLast = Int32(rules.config.flameTicks) - 1
        for index in bombCell.indices {
            let time = bombTime[index]
            let from = Int(bombCell[index])
            mark(from, time, time + flameLast)
            for direction in BlastDirection.inOrder {
                var cell = from
                let delta = board.delta(direction)
                for _ in 0 ..< bombRange[index] {
                    cell += delta
                    if state.terrain[cell] == Terrain.wall { break }
                    mark(cell, time, time + flameLast)
                    if stopsRay(cell, state) || bombIndexAt[cell] >= 0 { break }
                }
            }
        }
        for cell in state.flameCells {
            let left = Int32(state.flame[Int(cell)]) - 1
            if left >= 1 { mark(Int(cell), 1, left) }
        }
        for cell in bombCell { bombIndexAt[Int(cell)] = -1 }
    }

    /// Whether a ray surely ends on `cell`: a wall, or a crate that is not burning. Power-ups
    /// and burning crates stop a blast in the rules, but a player may pick the power-up up and
    /// the crate may open before the bomb goes off, so here rays pass them (the safe side).
    @inline(__always)
    private func stopsRay(_ cell: Int, _ state: BlastState) -> Bool {
        let code = state.terrain[cell]
        return code == Terrain.wall || (Terrain.isCrate(code) && state.flame[cell] == 0)
    }

    private mutating func addBomb(cell: Int, range: Int, time: Int32) {
        bombIndexAt[cell] = Int32(bombCell.count)
        bombCell.append(Int32(cell))
        bombRange.append(Int32(range))
        bombTime.append(time)
    }

    @inline(__always)
    private mutating func mark(_ cell: Int, _ from: Int32, _ through: Int32) {
        if start[cell] == BlastDangerMap.never {
            touched.append(Int32(cell))
            start[cell] = from
            end[cell] = through
        } else {
            start[cell] = min(start[cell], from)
            end[cell] = max(end[cell], through)
        }
    }
}
