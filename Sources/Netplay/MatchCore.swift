import Attestation
import Lockstep
import MeshTransport
import MeshplayCore

/// One match as one seated player's node plays it: lockstep datagrams over the endpoint's
/// unreliable channel, a `LockstepGameLoop` over the game, warm-up probes and the tick
/// timers, all held as values.
///
/// Sans-I/O: it reads no clock and owns no socket. Its node hands it every link event with
/// ``receive(_:at:endpoint:events:)`` and calls ``poll(at:endpoint:events:input:)`` at or after
/// ``nextDeadline``, passing the endpoint to send on; the local input is asked for once per
/// tick through the `input` closure.
///
/// Life: ``beginWarmUp(at:)`` sends small probes to every peer so the links measure round
/// trips; ``start(at:endpoint:)`` (every peer at the same agreed time) turns what warm-up
/// measured into the input lead (`LockstepLead`): whole ticks of input delay plus a phase by
/// which each frame's advance follows its sample. Advances fall at the same instants on
/// every peer (a period after the start, then every period); each peer samples its own
/// phase before them and resends half a period after the samples its `SendSchedule` says
/// (chosen with the lead: fewer datagrams where warm-up says they suffice). A lost link becomes
/// `peerLost`. Once the game is over (or `tickLimit` ticks ran) the match stops sampling and
/// advancing but keeps resending, so slower peers still get every input.
public struct MatchCore {
    /// Where a match is in its life.
    public enum Phase: Equatable, Sendable {
        case idle
        case warmingUp
        /// Stepped by a feed of the match so far (a spectator, or a node that will take its
        /// seat again): no session runs yet.
        case fed
        case playing
        /// The game is over here (or the session halted); resends continue.
        case finished
    }

    /// This player's seat.
    public let slot: PlayerSlot
    /// Every seat's node, by slot (this node's own id at its own slot).
    public let peerIDs: [PeerID]
    /// How the match is played.
    public let configuration: MatchConfiguration
    /// The game this node simulates.
    public let game: any RunningGame
    /// The game stops after this many ticks (or at its own end).
    public let tickLimit: Int
    public private(set) var phase = Phase.idle
    /// The game loop, once started.
    public private(set) var loop: LockstepGameLoop<NodeRecorder>?
    /// Every input sampled from the input source, in order (kept only with a tallying recorder).
    public private(set) var sampledInputs: [PlayerInput] = []
    /// Drops and desyncs seen, in order (chat is not kept: it goes out as it comes).
    public private(set) var notableEvents: [LockstepEvent] = []
    /// The players the last advance waited for; empty once a tick runs again.
    public private(set) var waitingFor: [PlayerSlot] = []
    /// When the current stall began, while stalled.
    public private(set) var stalledSince: Timestamp?
    /// The input delay chosen at the start, in ticks, and the phase of advance after sample.
    public private(set) var initialLead: (delay: Int, phase: TimeSpan) = (0, .zero)
    /// When this peer sends its lockstep datagrams, chosen with the lead from warm-up.
    public private(set) var sendSchedule = SendSchedule.twoPerTick
    /// When the game started and when it finished here.
    public private(set) var startedAt: Timestamp?
    public private(set) var finishedAt: Timestamp?
    /// Datagram bytes sent on every link during the game (headers and tags included).
    public var bytesSentDuringGame: UInt64 { bytesSent.reduce(0, +) }

    /// Seats re-opened for returning nodes since last taken (see ``takeScheduledSeats()``).
    private var scheduledSeats: [(slot: PlayerSlot, tick: Tick)] = []
    private var pendingRecorder: NodeRecorder?
    private var nextProbe: Timestamp?
    private var nextSample = Timestamp.zero
    private var nextAdvance: Timestamp?
    private var nextResend: Timestamp?
    /// Samples so far: where in its cycle the send schedule is.
    private var samples = 0
    /// Per seat, bytes sent to it during the game, and its link's counter when last read
    /// (a link replaced by a new handshake starts counting again from zero).
    private var bytesSent: [UInt64]
    private var lastBytesCounter: [UInt64]
    private var pendingChats: [String] = []
    /// Players lost before the game started, and whether each closed its link on purpose.
    private var lostBeforeStart: [(slot: PlayerSlot, left: Bool)] = []
    private var probes: WarmUpProbes
    private var pendingAttestor: Attestor?

    /// The most chat lines held before the game starts (more are dropped): a bound on what a
    /// player can queue during the countdown.
    static let maxPendingChats = 32

    /// A match for `slot` among `peerIDs` (one per seat of `game`, which must be at tick 0),
    /// signed by `attestor` when given.
    public init(
        slot: PlayerSlot, peerIDs: [PeerID], game: any RunningGame, recorder: NodeRecorder,
        configuration: MatchConfiguration, tickLimit: Int, attestor: Attestor? = nil
    ) {
        precondition(peerIDs.count == game.players.count, "one peer id per seat")
        self.slot = slot
        self.peerIDs = peerIDs
        self.game = game
        self.configuration = configuration
        self.tickLimit = tickLimit
        self.pendingRecorder = recorder
        pendingAttestor = attestor
        bytesSent = Array(repeating: 0, count: peerIDs.count)
        lastBytesCounter = bytesSent
        probes = WarmUpProbes(players: peerIDs.count)
    }

    /// Whether warm-up has measured enough: every link has `minimumProbeSamples` round trips.
    public var isWarm: Bool { probes.hasSamples(configuration.minimumProbeSamples, skipping: slot.index) }

    /// The session's figures, once started.
    public var stats: LockstepStats? { loop?.session.stats }

    /// The recorder, before or during the game.
    public var recorder: NodeRecorder? { loop?.recorder ?? pendingRecorder }

    /// The next time ``poll(at:endpoint:events:input:)`` has work; nil when idle.
    public var nextDeadline: Timestamp? {
        switch phase {
        case .idle, .fed: nil
        case .warmingUp: nextProbe
        case .playing, .finished: [nextSample, nextAdvance ?? nextSample, nextResend ?? nextSample].min()
        }
    }

    /// Whether this node's game is over (played out, ended, or its session halted).
    public var isFinished: Bool { phase == .finished }

    /// Whether the game ran to its end: it called the outcome, or the tick limit was reached.
    public var isPlayedOut: Bool { game.outcome != nil || Int(game.tick.rawValue) >= tickLimit }

    /// Why this peer's own session stopped before the end, in words, if it did: cut off from
    /// the majority of the seats, or dropped by the other players.
    public var stopReason: String? {
        for event in notableEvents {
            switch event {
            case .lostMajority(_, let reachable):
                // Alone, it is the lost network a lone survivor of a crash also reports.
                return reachable.count > 1 ? "lost contact with the majority" : "network lost, no other player answers"
            case .dropped(let dropped, _) where dropped == slot:
                return "dropped by the other players"
            case .dropped, .rejoined, .chat, .desync:
                continue
            }
        }
        return nil
    }

    /// The seat of `peer` in this match, other than our own.
    public func slot(of peer: PeerID) -> PlayerSlot? {
        peerIDs.firstIndex(of: peer).flatMap { $0 == slot.index ? nil : PlayerSlot($0) }
    }

    /// What warm-up measured on each link to another peer, in slot order.
    public var warmUpLinks: [LockstepLead.Link] { probes.links(skipping: slot.index) }

    // MARK: Life

    /// Starts probing every peer (links must be up) so their round trips get measured.
    public mutating func beginWarmUp(at now: Timestamp) {
        guard phase == .idle else { return }
        phase = .warmingUp
        nextProbe = now
    }

    /// Starts the game at `now` (every peer at the same agreed time): chooses the input
    /// lead from what warm-up measured and begins the tick schedule.
    public mutating func start(at now: Timestamp, endpoint: MeshEndpoint<some LinkAddress>) {
        guard phase == .idle || phase == .warmingUp, let recorder = pendingRecorder else { return }
        pendingRecorder = nil
        for (index, peer) in peerIDs.enumerated() where index != slot.index {
            if let stats = endpoint.stats(for: peer) { lastBytesCounter[index] = stats.bytesSent }
        }
        let (schedule, lead) = LockstepLead.plan(
            links: warmUpLinks, tickRate: configuration.tickRate, schedules: configuration.sendSchedules,
            stallTargetPerMillion: configuration.stallTargetPerMillion,
            budget: configuration.leadBudgetForFewerSends, margin: configuration.leadMargin)
        initialLead = lead
        sendSchedule = schedule
        let session = LockstepSession(configuration: sessionConfiguration(delay: lead.delay))
        var loop = LockstepGameLoop(session: session, game: game, recorder: recorder, attestor: pendingAttestor)
        for line in pendingChats { loop.sendChat(line) }
        for lost in lostBeforeStart { loop.peerLost(lost.slot, leftOnPurpose: lost.left, at: now) }
        pendingChats = []
        self.loop = loop
        phase = .playing
        startedAt = now
        // Frames (advances) fall at the same instants on every peer; each peer samples its
        // phase earlier, so its inputs get its whole lead at every receiver, not a mix of
        // its delay and the receiver's phase.
        let period = configuration.tickPeriod
        nextAdvance = now + period
        nextSample = now + (period - lead.phase)
        nextResend = nil
        samples = 0
    }

    /// Queues a chat line from the local player (sent with the next sampled tick).
    public mutating func sendChat(_ text: String) {
        if loop != nil {
            loop?.sendChat(text)
        } else if pendingChats.count < Self.maxPendingChats {
            pendingChats.append(text)
        }
    }

    // MARK: Inputs

    /// Handles one link event; what the game reports goes into `events`.
    public mutating func receive<Address: LinkAddress>(
        _ event: LinkEvent<Address>, at now: Timestamp, endpoint: inout MeshEndpoint<Address>, events: inout [LockstepEvent]
    ) {
        switch event {
        case .message(let peer, let channel, let bytes, let reliable) where !reliable && channel == configuration.probeChannel:
            if let from = slot(of: peer) { probes.receive(bytes, from: from.index, at: now) }
        case .message(let peer, let channel, let bytes, let reliable):
            guard !reliable, channel == configuration.lockstepChannel, let from = slot(of: peer),
                  let outputs = loop?.receive(bytes, from: from, at: now) else { return }
            carryOut(outputs, endpoint: &endpoint, events: &events)
        case .linkLost(_, .replaced):
            // A new handshake with the same peer took the link over: the player is still there.
            break
        case .linkLost(let peer, let reason):
            guard let lost = slot(of: peer) else { return }
            // Lost before the game: the player is dropped as soon as the game starts.
            guard loop != nil else {
                if !lostBeforeStart.contains(where: { $0.slot == lost }) { lostBeforeStart.append((lost, reason == .closedByPeer)) }
                return
            }
            loop!.peerLost(lost, leftOnPurpose: reason == .closedByPeer, at: now)
        case .linkUp, .connectFailed:
            break
        }
        noteFinished(at: now)
    }

    /// Does whatever is due by `now`: probes while warming up; samples (asking `input` for
    /// the local input), advances and resends while playing.
    public mutating func poll<Address: LinkAddress>(
        at now: Timestamp, endpoint: inout MeshEndpoint<Address>, events: inout [LockstepEvent],
        input: (any RunningGame) -> PlayerInput
    ) {
        if phase == .warmingUp {
            while let probe = nextProbe, probe <= now {
                for (index, bytes) in probes.probes(at: now, skipping: slot.index) {
                    _ = endpoint.sendUnreliable(bytes, channel: configuration.probeChannel, to: peerIDs[index])
                }
                nextProbe = probe + configuration.probeInterval
            }
            return
        }
        guard phase == .playing || phase == .finished else { return }
        let period = configuration.tickPeriod
        while let due = nextDeadline, due <= now {
            if due == nextSample {
                nextSample = nextSample + period
                if sendSchedule.resends(afterSample: samples) { nextResend = due + period / 2 }
                samples += 1
                noteBytes(endpoint)
                if phase == .playing {
                    let value = input(game)
                    if loop!.recorder.keepsTally { sampledInputs.append(value) }
                    loop!.localInput(value, at: due)
                    carryOut(loop!.sampleInput(at: due), endpoint: &endpoint, events: &events)
                } else {
                    carryOut(loop!.resend(at: due), endpoint: &endpoint, events: &events)
                }
            } else if let advance = nextAdvance, due == advance {
                nextAdvance = advance + period
                // No tick beyond the limit becomes due, so catching up cannot run past it either.
                if phase == .playing, loop!.session.ticksDue < tickLimit {
                    carryOut(loop!.advance(at: due), endpoint: &endpoint, events: &events, at: due)
                }
            } else if let resend = nextResend, due == resend {
                nextResend = nil
                carryOut(loop!.resend(at: due), endpoint: &endpoint, events: &events)
            }
            noteFinished(at: due)
        }
    }

    // MARK: Internals

    private mutating func noteFinished(at now: Timestamp) {
        // Read through the optional, not bound: binding would copy the whole loop on every event.
        guard phase == .playing, let halted = loop?.session.isHalted else { return }
        if Int(game.tick.rawValue) >= tickLimit || game.outcome != nil || halted {
            phase = .finished
            finishedAt = now
        }
    }

    private mutating func noteBytes(_ endpoint: MeshEndpoint<some LinkAddress>) {
        guard phase == .playing else { return }
        for (index, peer) in peerIDs.enumerated() where index != slot.index {
            guard let counter = endpoint.stats(for: peer)?.bytesSent else { continue }
            bytesSent[index] += counter >= lastBytesCounter[index] ? counter - lastBytesCounter[index] : counter
            lastBytesCounter[index] = counter
        }
    }

    private mutating func carryOut<Address: LinkAddress>(
        _ outputs: [LockstepOutput], endpoint: inout MeshEndpoint<Address>, events: inout [LockstepEvent], at now: Timestamp? = nil
    ) {
        for output in outputs {
            switch output {
            case .send(let to, let bytes):
                _ = endpoint.sendUnreliable(bytes, channel: configuration.lockstepChannel, to: peerIDs[to.index])
            case .event(let event):
                if case .chat = event {} else { notableEvents.append(event) }
                events.append(event)
            case .advanced:
                waitingFor = []
                stalledSince = nil
            case .stalled(let waiting):
                waitingFor = waiting
                if stalledSince == nil { stalledSince = now }
            case .seatScheduled(let slot, let tick):
                scheduledSeats.append((slot, tick))
            }
        }
    }
}

// MARK: Fed matches (spectators and returning players)

extension MatchCore {
    /// A match stepped by a feed of the match so far (`WatchFeed`): a spectator's (`slot` is
    /// then only the attestor's point of view, `signs` false) or a returning player's, which
    /// takes its seat again with ``resume(atTick:dueTick:at:endpoint:)``. `game` is at tick 0.
    public static func fed(
        slot: PlayerSlot, peerIDs: [PeerID], game: any RunningGame, recorder: NodeRecorder,
        configuration: MatchConfiguration, tickLimit: Int, attestor: Attestor?, signs: Bool
    ) -> MatchCore {
        var core = MatchCore(
            slot: slot, peerIDs: peerIDs, game: game, recorder: recorder, configuration: configuration, tickLimit: tickLimit,
            attestor: attestor)
        // A session that never runs: its first tick is beyond any match.
        let placeholder = LockstepSession(
            configuration: core.sessionConfiguration(delay: 0), resumingAt: Int(Int32.max), dueTick: 0, dropped: [])
        var loop = LockstepGameLoop(session: placeholder, game: game, recorder: recorder, attestor: attestor)
        loop.signsAttestations = signs
        core.loop = loop
        core.pendingRecorder = nil
        core.phase = .fed
        return core
    }

    /// The session settings of this match with an input delay of `delay` ticks.
    func sessionConfiguration(delay: Int) -> LockstepConfiguration {
        LockstepConfiguration(
            localSlot: slot, playerCount: peerIDs.count, tickRate: configuration.tickRate,
            initialInputDelay: delay, checksumInterval: configuration.checksumInterval,
            minimumInputDelay: 0, maximumInputDelay: max(30, delay), adaptsInputDelay: configuration.adaptsInputDelay,
            stallTargetPerMillion: configuration.stallTargetPerMillion, checksDatagrams: false)
    }

    /// Steps the fed game one tick with `inputs`; the checksum when the tick ends on a checkpoint.
    public mutating func applyFed(inputs: [PlayerInput]) -> StateChecksum? {
        guard loop != nil else { return nil }
        return loop!.applyFed(tick: game.tick, inputs: inputs)
    }

    /// Applies a fed event (a player left or came back, a chat line) before the next step.
    public mutating func applyFed(_ event: LockstepEvent) {
        loop?.applyFed(event)
    }

    /// Checks a fed attestation; valid ones are recorded.
    public mutating func checkFed(slot: PlayerSlot, tick: UInt32, signature: [UInt8]) -> Attestor.Verdict {
        loop?.checkFed(slot: slot, tick: tick, signature: signature) ?? .unchecked
    }

    /// Per slot, the highest tick whose attestation held here.
    public var attestedThrough: [UInt32] { loop?.attestedThrough ?? [] }

    /// A returning player takes its seat again at `firstTick`: its session starts there (held
    /// until the fed game reaches it), and the tick schedule starts now. `dueTick` is the
    /// tick the others have due now; `dropped` the slots out of the game.
    public mutating func resume(
        atTick firstTick: Int, dueTick: Int, dropped: [PlayerSlot], at now: Timestamp, endpoint: MeshEndpoint<some LinkAddress>
    ) {
        guard phase == .fed, loop != nil else { return }
        for (index, peer) in peerIDs.enumerated() where index != slot.index {
            if let stats = endpoint.stats(for: peer) { lastBytesCounter[index] = stats.bytesSent }
        }
        // No warm-up: the lead follows the links' round trips as the endpoint knows them.
        let period = configuration.tickPeriod
        let worst = peerIDs.compactMap { endpoint.stats(for: $0)?.smoothedRTT }.max() ?? period
        let delay = Int(((worst / 2 + configuration.leadMargin).microseconds + period.microseconds - 1) / period.microseconds) + 1
        initialLead = (delay, .zero)
        var session = LockstepSession(configuration: sessionConfiguration(delay: delay), resumingAt: firstTick, dueTick: dueTick, dropped: dropped)
        _ = session.hold(game.tick.rawValue < UInt32(firstTick), at: now)
        loop!.resume(with: session)
        phase = .playing
        startedAt = now
        nextAdvance = now + period
        nextSample = now + period / 2
        // The resends follow the send schedule (two copies a tick, as before warm-up measured anything).
        nextResend = nil
        samples = 0
    }

    /// Once the fed game has reached the session's first tick, lets the session simulate.
    public mutating func releaseIfCaughtUp<Address: LinkAddress>(
        at now: Timestamp, endpoint: inout MeshEndpoint<Address>, events: inout [LockstepEvent]
    ) {
        guard phase == .playing, let loop, loop.session.isHeld, game.tick == loop.session.nextTickToSimulate else { return }
        carryOut(self.loop!.hold(false, at: now), endpoint: &endpoint, events: &events, at: now)
    }

    /// The match so far as replay bytes in memory (what spectators and returning players are fed).
    public var history: MatchHistory? { recorder?.history }

    /// Closes the history's open block, so a subscriber gets every tick so far.
    public mutating func flushHistory() {
        if loop != nil { loop!.withRecorder { $0.history?.flush() } } else { pendingRecorder?.history?.flush() }
    }

    /// Ends the history with its trailer (the match is over here).
    public mutating func finishHistory(endedEarly: String?) {
        let game = self.game
        if loop != nil { loop!.withRecorder { $0.history?.finish(game: game, endedEarly: endedEarly) } }
    }

    /// Asks in our command stream that dropped `slot` play again `lead` ticks later.
    public mutating func requestSeat(for slot: PlayerSlot, lead: Int) {
        loop?.requestSeat(for: slot, lead: lead)
    }

    /// The seats re-opened since the last call, with the tick each plays again from.
    public mutating func takeScheduledSeats() -> [(slot: PlayerSlot, tick: Tick)] {
        defer { scheduledSeats = [] }
        return scheduledSeats
    }
}
