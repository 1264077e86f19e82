import MeshplayCore

/// Taking a dropped seat again: a player who dropped out (a crash, a long blackout) comes
/// back into the running match.
///
/// The rule:
/// 1. A live player that feeds the returning node the match so far (`Netplay`'s watch feed)
///    puts a seat request for the slot in its own command stream (``requestSeat(for:lead:)``):
///    "slot `s` plays again from tick `T`". Every peer reads it when it simulates that tick
///    `A` of the stream, so every peer acts on it at the same point of the game.
/// 2. At `A` a peer re-opens the slot: its link is live again (what it sends is accepted),
///    its stream starts empty at `T`, and the peer is sent every stream from `T` on. The slot
///    stays dropped until `T`, so no tick before `T` waits for it.
/// 3. At `T` the slot is seated again (``LockstepAction/rejoined(slot:atTick:)``, before
///    `T`'s step: the game restores the player) and `T` waits for its command like any other.
///    If the node is lost again, the usual drop agreement removes it again at a tick ≥ `T`.
/// 4. The returning node runs a session made with ``init(configuration:resumingAt:dueTick:dropped:)``:
///    every stream starts at `T`; until its game has caught up to `T` from the feed, the session
///    is held (``hold(_:)``) and simulates nothing.
extension LockstepSession {
    /// The furthest ahead of the announcing tick a seat may be taken (an input log's reach).
    public static var maxSeatLead: Int { InputLog.maxLead - 1 }

    /// Asks, in our own command stream, that dropped `slot` play again `lead` ticks after the
    /// tick the request rides (the next sampled one). `lead` gives the returning node time to
    /// hear of it and send its first commands.
    public mutating func requestSeat(for slot: PlayerSlot, lead: Int) {
        guard slot.index < playerCount, slot != me else { return }
        pendingSeat = (slot, min(max(lead, 1), Self.maxSeatLead))
    }

    /// The session of a node taking its seat `configuration.localSlot` again at `firstTick`.
    /// `dueTick` is the tick the others have due now, as the feed said (its frames follow on);
    /// `dropped` are the slots out of the game at `firstTick`.
    public init(configuration: LockstepConfiguration, resumingAt firstTick: Int, dueTick: Int, dropped droppedSlots: [PlayerSlot]) {
        self.init(configuration: configuration)
        let count = configuration.playerCount
        logs = Array(repeating: InputLog(startingAt: firstTick), count: count)
        nextTick = firstTick
        dueTicks = min(max(0, dueTick), firstTick)
        for index in peers.indices { peers[index].have = Array(repeating: firstTick, count: count) }
        for slot in droppedSlots where slot.index < count && slot != me {
            dropped[slot.index] = true
            dropTick[slot.index] = firstTick
            lostMask |= bit(slot)
        }
    }

    /// While held the session simulates nothing (frames still become due, and count as stalls
    /// once a tick waits): a returning node's game is still catching up from the feed.
    public mutating func hold(_ held: Bool, at now: Timestamp) -> [LockstepAction] {
        isHeld = held
        var actions: [LockstepAction] = []
        if !held, halted == nil, nextTick < dueTicks { simulateDueTicks(at: now, into: &actions) }
        return actions
    }

    /// Whether a peer's report of `slot` as lost is the old loss, from before it read the seat
    /// request that re-opened it here (its holding of the slot's stream is still the old one).
    func isStaleLoss(of slot: Int, reportedHave: Int) -> Bool {
        guard let reopened = reopenedAt[slot] else { return false }
        return reportedHave < reopened
    }

    /// Seats due at `tick`: slots re-opened earlier play from here.
    mutating func seatReturningPlayers(at tick: Int, into actions: inout [LockstepAction]) {
        for index in 0..<playerCount where reseatAt[index] == tick {
            reseatAt[index] = nil
            dropped[index] = false
            actions.append(.rejoined(slot: PlayerSlot(index), atTick: Tick(UInt32(clamping: tick))))
        }
    }

    /// A seat request read in `author`'s stream at `tick`: re-opens the slot for its node.
    mutating func scheduleSeat(_ seat: LockstepMessage.Seat, announcedAt tick: Int, into actions: inout [LockstepAction]) {
        let index = seat.slot.index
        let at = Int(seat.tick)
        guard index < playerCount, seat.slot != me, dropped[index], reseatAt[index] == nil,
              at > tick, at <= tick + Self.maxSeatLead else { return }
        reseatAt[index] = at
        reopenedAt[index] = at
        dropTick[index] = nil
        lostMask &= ~bit(seat.slot)
        leftMask &= ~bit(seat.slot)
        logs[index] = InputLog(startingAt: at)
        var view = PeerView(playerCount: playerCount, periodMicroseconds: configuration.tickPeriod.microseconds)
        view.have = Array(repeating: at, count: playerCount)
        peers[index] = view
        checkpoints.forget(seat.slot)
        actions.append(.seatScheduled(slot: seat.slot, atTick: Tick(seat.tick)))
    }
}
