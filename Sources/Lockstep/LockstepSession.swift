import MeshplayCore

/// The lockstep protocol of one peer, as a sans-I/O state machine.
///
/// The driver feeds it the local input, received datagrams and a `tick(at:)`
/// call every tick period, and carries out the returned `LockstepAction`s.
/// It reads no clock and does no I/O, so a seeded simulation replays exactly.
///
/// Time is a frame clock: every `advance(at:)` call makes one more tick due
/// (tick `n` is due at the `n`-th call). Every `sampleInput(at:)` call schedules
/// the current local input for tick `due + delay` and sends every live peer one
/// datagram with all of our commands it has not acknowledged (bounded), our ack of
/// its stream, and at their own pace the full `have` vector, checkpoints and drop state
/// (see `LockstepMessage`). Due ticks are simulated as
/// soon as every active player's command is known: at the `advance` call, or on
/// a later `receive` (catch-up), so a late input costs its lateness, not a tick.
///
/// A *stall* is a frame the player sees freeze: an `advance` call at which the
/// tick due at the previous call has still not been simulated. An input that
/// arrives after its tick was due but before the next tick is due is late, not a stall.
///
/// `tick(at:)` is `sampleInput` and `advance` at one instant; a driver may instead
/// call `advance` a fixed phase after each `sampleInput`, which adds a fraction of a
/// tick to the input delay (see `LockstepConfiguration.inputLead`).
public struct LockstepSession: Sendable {
    public let configuration: LockstepConfiguration
    public internal(set) var stats = LockstepStats()

    var logs: [InputLog]
    var peers: [PeerView]
    /// The next tick to simulate.
    var nextTick = 0
    /// Ticks due so far (`advance` calls): ticks `0 ..< dueTicks` are due.
    var dueTicks = 0
    /// When each due but unsimulated tick became due, from `nextTick` on.
    var dueTimes: [Timestamp] = []
    var currentInput = PlayerInput.none
    var pendingChats: [String] = []
    var delay: InputDelayController
    var checkpoints: CheckpointBook
    /// Bit `i`: slot `i` declared lost here (by our link layer or by any peer's word).
    var lostMask: UInt32 = 0
    /// Bit `i`: slot `i` closed its link to us before it was lost (it left; it is not across a split).
    var leftMask: UInt32 = 0
    /// Agreed drop tick per slot, once the survivors agree.
    var dropTick: [Int?]
    var dropped: [Bool]
    var halted: HaltReason?
    /// A detected desync whose event waits for every live peer's checksum at that tick.
    var pendingDesync: (tick: UInt32, waitedCalls: Int)?
    /// A seat request to ride our next sampled command: the slot, and how many ticks after
    /// that command it plays again (see `LockstepSession+Rejoin`).
    var pendingSeat: (slot: PlayerSlot, lead: Int)?
    /// Per slot, the tick a re-opened seat plays again from, until it does.
    var reseatAt: [Int?]
    /// Per slot, the tick its seat was last re-opened at (kept: a peer still reporting the
    /// old loss, from before it read the seat request, must not make us lose the slot again).
    var reopenedAt: [Int?]
    /// Whether simulation waits (a returning node's game still catching up).
    public internal(set) var isHeld = false
    /// Our latest attestation, sent to each peer until it acks it.
    var ownAttestation: LockstepMessage.Attestation?

    enum HaltReason: Sendable, Equatable {
        case desync
        case droppedByOthers
        case lostMajority
    }

    var me: PlayerSlot { configuration.localSlot }
    var playerCount: Int { configuration.playerCount }

    public init(configuration: LockstepConfiguration) {
        self.configuration = configuration
        let count = configuration.playerCount
        logs = Array(repeating: InputLog(), count: count)
        let period = configuration.tickPeriod.microseconds
        peers = Array(repeating: PeerView(playerCount: count, periodMicroseconds: period), count: count)
        delay = InputDelayController(
            initial: configuration.initialInputDelay,
            minimum: configuration.minimumInputDelay,
            maximum: configuration.maximumInputDelay,
            stallTargetPerMillion: configuration.stallTargetPerMillion,
            playerCount: count
        )
        checkpoints = CheckpointBook(playerCount: count)
        dropTick = Array(repeating: nil, count: count)
        dropped = Array(repeating: false, count: count)
        reseatAt = Array(repeating: nil, count: count)
        reopenedAt = Array(repeating: nil, count: count)
        // The first `delay` ticks have no sample yet: every player plays "nothing" for
        // them, sent explicitly like any other input so no peer needs our delay.
        for _ in 0..<configuration.initialInputDelay {
            logs[configuration.localSlot.index].append(.init(input: .none, chat: nil, time: .zero, measured: false))
        }
        stats.inputDelay = delay.current
    }

    // MARK: Driver calls

    /// The local player's current input; sampled at the next `tick(at:)`.
    public mutating func localInput(_ input: PlayerInput, at now: Timestamp) {
        currentInput = input
    }

    /// Queues a chat line from the local player. It rides the command stream at
    /// the next sampled tick (one line per tick), so every peer shows it at the
    /// same tick. Text longer than the wire limit is cut at a character boundary.
    public mutating func sendChat(_ text: String) {
        var cut = ""
        for character in text {
            guard cut.utf8.count + String(character).utf8.count <= LockstepMessage.maxChatBytes else { break }
            cut.append(character)
        }
        pendingChats.append(cut)
    }

    /// The link layer gave up on `slot` (after its timeout). The player is removed
    /// at a tick all survivors agree on; until then the game stalls at the first
    /// tick we lack its input for. Before this call a silent peer only causes a stall.
    ///
    /// `leftOnPurpose` says the peer said goodbye (closed its link) rather than fell silent:
    /// a player who left is not counted among the seats a side needs a majority of, so the
    /// others play on after one player quits, however few remain.
    public mutating func peerLost(_ slot: PlayerSlot, leftOnPurpose: Bool = false, at now: Timestamp) {
        guard slot.index < playerCount, slot != me else { return }
        if leftOnPurpose { leftMask |= bit(slot) }
        declareLost(slot)
    }

    /// The state checksum after `tick`, requested by an `advance` with `checksumDue`.
    public mutating func reportChecksum(_ checksum: StateChecksum, for tick: Tick) -> [LockstepAction] {
        if checkpoints.recordOwn(tick: tick.rawValue, checksum: checksum) { noteDesync(at: tick.rawValue) }
        return desyncEventIfReady(waited: false)
    }

    /// Handles a datagram from `slot`. Malformed bytes are counted and ignored.
    public mutating func receive(_ bytes: [UInt8], from slot: PlayerSlot, at now: Timestamp) -> [LockstepAction] {
        stats.datagramsReceived += 1
        stats.bytesReceived += bytes.count
        guard slot.index < playerCount, slot != me else {
            stats.decodeErrors += 1
            return []
        }
        guard lostMask & bit(slot) == 0 else {
            // Frozen: after we declare a peer lost, nothing it says may change what we hold.
            stats.ignoredFromLostPeers += 1
            return []
        }
        let message: LockstepMessage
        do {
            message = try LockstepMessage(
                decoding: bytes, playerCount: playerCount,
                reference: UInt32(clamping: logs[slot.index].contiguousEnd), checked: configuration.checksDatagrams)
        } catch {
            stats.decodeErrors += 1
            return []
        }
        var actions = apply(message, from: slot, at: now)
        // Catch up: a tick that was waiting for this datagram runs now, not at the next frame.
        if halted == nil, nextTick < dueTicks { simulateDueTicks(at: now, into: &actions) }
        return actions
    }

    /// Call once per tick period: `sampleInput` and `advance` at the same instant.
    public mutating func tick(at now: Timestamp) -> [LockstepAction] {
        var actions = desyncEventIfReady(waited: true)
        if halted == nil {
            adaptDelay()
            scheduleLocalInput(at: now)
            advanceFrame(at: now, into: &actions)
        }
        // Keep talking even when halted, so peers can still reach the desync checkpoint.
        appendDatagrams(into: &actions)
        return actions
    }

    /// Call once per tick period: schedules the current local input for tick
    /// `due + delay` and sends every live peer what it lacks.
    public mutating func sampleInput(at now: Timestamp) -> [LockstepAction] {
        var actions = desyncEventIfReady(waited: true)
        if halted == nil {
            adaptDelay()
            scheduleLocalInput(at: now)
        }
        appendDatagrams(into: &actions)
        return actions
    }

    /// Call once per tick period, a fixed phase (`0 ..< period`) after each
    /// `sampleInput`: one more tick becomes due; simulates every due tick it can.
    public mutating func advance(at now: Timestamp) -> [LockstepAction] {
        var actions: [LockstepAction] = []
        if halted == nil { advanceFrame(at: now, into: &actions) }
        return actions
    }

    /// Optional, between ticks (ideally half a period after each `tick(at:)`): sends
    /// every live peer what it has not acknowledged again, without sampling or
    /// simulating. A lost datagram then costs half a tick instead of a whole one,
    /// which lets the adaptive delay stay a tick or two lower on lossy links.
    public mutating func resend(at now: Timestamp) -> [LockstepAction] {
        var actions = desyncEventIfReady(waited: false)
        appendDatagrams(into: &actions)
        return actions
    }

    /// Ticks due so far (one per `advance` or `tick` call).
    public var ticksDue: Int { dueTicks }

    /// The next tick the session will simulate.
    public var nextTickToSimulate: Tick { Tick(UInt32(clamping: nextTick)) }

    /// The local input delay now, in ticks.
    public var currentInputDelay: Int { delay.current }

    /// Whether the session has stopped for good (desync, dropped by the others, or on the
    /// minority side of a split).
    public var isHalted: Bool { halted != nil }

    /// The slots removed from the game so far, with their drop ticks.
    public var drops: [(slot: PlayerSlot, tick: Tick)] {
        (0..<playerCount).compactMap { index in
            guard dropped[index], let tick = dropTick[index] else { return nil }
            return (PlayerSlot(index), Tick(UInt32(clamping: tick)))
        }
    }

    // MARK: Helpers

    func bit(_ slot: PlayerSlot) -> UInt32 { 1 << UInt32(slot.index) }

    /// Live peers: other slots not declared lost.
    var livePeers: [PlayerSlot] {
        (0..<playerCount).compactMap { index in
            let slot = PlayerSlot(index)
            return slot != me && lostMask & bit(slot) == 0 ? slot : nil
        }
    }
}
