/// Where a player is in the match. Nobody comes back: a match is last one standing.
public enum BlastStatus: UInt8, Sendable, CustomStringConvertible {
    /// On the board.
    case alive = 0
    /// Caught in a blast.
    case dead = 1
    /// Left the match or was dropped.
    case left = 2

    public var description: String {
        switch self {
        case .alive: "alive"
        case .dead: "dead"
        case .left: "left"
        }
    }
}

/// One player's bomber and tallies.
struct BlastPlayer: Hashable, Sendable {
    var status: BlastStatus = .alive
    /// Padded cell it stands on; after it fell or left, where that happened.
    var cell = 0
    /// How far its next bomb's blast reaches.
    var range = 1
    /// Bombs it may have on the board at once.
    var bombCapacity = 1
    /// Its bombs on the board now (dead and departed players' bombs still go off).
    var bombsOnBoard = 0
    /// Speed power-ups taken (up to the config's cap).
    var speedUps = 0
    /// Ticks before it may step again.
    var cooldown = 0
    /// The step waiting for the cooldown: a `BlastDirection` raw value, 0 for none.
    var queuedStep: UInt8 = 0
    /// Other players caught in its blasts.
    var kills = 0
    /// The tick in which it died or left; meaningful only once it has.
    var fallTick = 0
    /// Slot + 1 of the player whose blast killed it, 0 when alive, left or killed by its own bomb.
    var killedBy = 0
    /// Power-ups picked up, of any kind (capped kinds included).
    var powerUpsTaken = 0
}

/// A bomb on the board.
struct BlastBomb: Hashable, Sendable {
    /// Padded cell.
    var cell: UInt16
    /// Slot of the player who dropped it.
    var owner: UInt8
    /// Its blast reaches this many cells each way (the owner's range when dropped).
    var range: UInt8
    /// Ticks until it explodes; 0 once it is due to explode this tick.
    var fuse: UInt16
}
