/// Where a player's snake is in its life.
public enum SnakeStatus: UInt8, Sendable, CustomStringConvertible {
    /// On the board and moving.
    case alive = 0
    /// Off the board, waiting to re-enter.
    case respawning = 1
    /// The player left; the snake never returns.
    case left = 2

    public var description: String {
        switch self {
        case .alive: "alive"
        case .respawning: "respawning"
        case .left: "left"
        }
    }
}

/// One player's snake and tallies. The body cells live in `SnakeState.body`.
struct SnakeRecord: Hashable, Sendable {
    var status: SnakeStatus = .alive
    /// The way the head last moved (or the spawn direction before the first move).
    var direction: Direction = .up
    /// Index of the head inside this snake's ring of body cells.
    var headSlot = 0
    /// Body cells on the board, head included; 0 while not alive.
    var length = 0
    /// Ticks for which the tail stays put, making the snake one cell longer each.
    var pendingGrowth = 0
    /// Ticks left before a respawning snake tries to re-enter; 0 means "try now".
    var respawnCountdown = 0
    var foodEaten = 0
    var kills = 0
    var deaths = 0
    /// Padded cell where the snake last died, 0 for never; shown while it respawns.
    var lastDeathCell = 0
    /// Index of the spawn point this player started on.
    var homeSpawn = 0

    // Scratch for one step; always written before being read, never encoded.
    /// The head cell before the move.
    var oldHead = 0
    var target = 0
    var diesThisTick = false

    /// Points: one per food, plus the kill bonus per kill.
    func score(killBonus: Int) -> Int { foodEaten + kills * killBonus }
}
