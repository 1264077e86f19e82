import MeshplayCore

/// Everything that changes during a Blast match.
///
/// All storage is allocated by `BlastRules.initialState` and then mutated in place, so a
/// step allocates nothing. Per-cell data lives in flat arrays indexed by padded cell (see
/// `BlastBoard`). `bombAt` and `flameCells` are derived indexes kept for speed; they are not
/// part of the state encoding.
public struct BlastState: Sendable {
    /// Ticks simulated so far.
    public internal(set) var tick: Int
    /// Indexed by slot.
    var players: [BlastPlayer]
    /// Players still on the board.
    var standing: Int
    /// Players that have not left.
    var present: Int
    /// Padded grid of `Terrain` codes.
    var terrain: [UInt8]
    /// Per cell, ticks its flames still burn (0: no fire).
    var flame: [UInt8]
    /// Per cell, the slot of the player whose blast lit its flames (meaningful while burning).
    var flameOwner: [UInt8]
    /// The cells with flames, in no particular order (an index over `flame`).
    var flameCells: [UInt16]
    /// Bombs on the board in the order they were dropped.
    var bombs: [BlastBomb]
    /// Per cell, whether a bomb lies there (an index over `bombs`).
    var bombAt: [Bool]
    /// Scratch for one step: cells of bombs due to explode, in explosion order.
    var explosionQueue: [UInt16]

    /// How many seated players the match has.
    public var playerCount: Int { players.count }

    /// Where slot `slot` is in the match.
    public func status(of slot: PlayerSlot) -> BlastStatus { players[slot.index].status }

    /// Other players `slot` has caught in its blasts.
    public func kills(of slot: PlayerSlot) -> Int { players[slot.index].kills }

    /// How many players are still on the board.
    public var standingCount: Int { standing }

    /// How many bombs are on the board.
    public var bombCount: Int { bombs.count }

    /// Puts fire on `cell` for `ticks` ticks, lit by `owner`. The first blast to reach a
    /// cell in a tick owns its fire; a later tick's blast takes over a cell still burning.
    @inline(__always)
    mutating func light(_ cell: Int, owner: UInt8, ticks: UInt8) {
        let current = flame[cell]
        if current == 0 { flameCells.append(UInt16(truncatingIfNeeded: cell)) }
        // Flames lit earlier were aged this tick, so only this tick's fire is at full `ticks`.
        if current != ticks { flameOwner[cell] = owner }
        flame[cell] = ticks
    }
}
