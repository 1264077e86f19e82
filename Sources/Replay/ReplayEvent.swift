import MeshplayCore

/// Something that happened during a match besides inputs, recorded at its tick.
///
/// Events at tick `t` take effect before tick `t` is stepped: a player who leaves
/// at tick `t` is removed (`RunningGame.removePlayer`) and then tick `t` runs.
public enum ReplayEvent: Hashable, Sendable {
    /// A chat line. It does not affect the simulation. The writer cuts text to
    /// `ReplayFormat.maxChatBytes` bytes of UTF-8 on a character boundary.
    case chat(slot: PlayerSlot, text: String)
    /// The player left or its node was lost; the game removes it.
    case leave(slot: PlayerSlot)
    /// The player who left took its seat again (it rejoined the running match); the game
    /// restores it (`RunningGame.restorePlayer`). Version 3 files only.
    case rejoin(slot: PlayerSlot)

    /// Applies what the event does to the simulation: a leave removes the player, a rejoin
    /// restores it, chat changes nothing.
    public func apply(to game: any RunningGame) {
        switch self {
        case .leave(let slot): game.removePlayer(slot)
        case .rejoin(let slot): game.restorePlayer(slot)
        case .chat: break
        }
    }

    /// The player the event is about.
    public var slot: PlayerSlot {
        switch self {
        case .chat(let slot, _), .leave(let slot), .rejoin(let slot): slot
        }
    }
}

/// An event with the tick it happened at.
public struct ReplayTimedEvent: Hashable, Sendable {
    /// The tick the event happened at (applied before that tick's step).
    public var tick: Tick
    /// What happened.
    public var event: ReplayEvent

    /// `event` at `tick`.
    public init(tick: Tick, event: ReplayEvent) {
        self.tick = tick
        self.event = event
    }
}
