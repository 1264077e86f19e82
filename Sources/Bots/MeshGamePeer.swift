import Lockstep
import MeshTransport
import MeshplayCore

/// One player's whole networked game: lockstep datagrams over a `MeshEndpoint`'s
/// unreliable channel, a `LockstepGameLoop` over a `RunningGame`, and a local input
/// source (a bot, later a human) sampled once per tick.
///
/// Sans-I/O: it reads no clock and owns no socket. A shell (the simulated network
/// in `NetworkedMatch`, later the UDP node for `meshplay bot`) calls
/// ``handle(_:at:endpoint:)`` for every link event and ``poll(at:endpoint:)`` at or
/// after ``nextDeadline``, passing the endpoint to send on, then flushes it.
///
/// Life cycle: ``beginWarmUp(at:)`` sends small probes to every peer so the links
/// measure round trips; ``start(at:endpoint:)`` (every peer at the same agreed time)
/// turns the largest round trip into the input lead (`LockstepConfiguration.inputLead`):
/// whole ticks of input delay plus a phase by which each frame's `advance` follows
/// its `sampleInput`. Advances fall at the same instants on every peer (a period
/// after the start, then every period); each peer samples its own phase before them
/// and resends half a period after each sample. Link loss becomes
/// `peerLost`. Once the game is over (or `tickLimit` ticks ran) the peer stops
/// sampling and advancing but keeps resending, so slower peers still get every input.
public final class MeshGamePeer<Address: LinkAddress, Recorder: LockstepRecorder> {
    /// Where a peer is in its life cycle.
    public enum Phase: Equatable, Sendable {
        case idle
        case warmingUp
        case playing
        /// The game is over here (or the session halted); resends continue.
        case finished
    }

    /// This peer's seat.
    public let slot: PlayerSlot
    /// Every seat's peer id, by slot (this peer's own id at its own slot).
    public let peerIDs: [PeerID]
    public let configuration: MeshGamePeerConfiguration
    /// The game this peer simulates.
    public let game: any RunningGame
    /// The game stops after this many ticks (or at its own end).
    public let tickLimit: Int
    public private(set) var phase = Phase.idle
    /// The game loop, once started.
    public private(set) var loop: LockstepGameLoop<Recorder>?
    /// Every input sampled from the input source, in order.
    public private(set) var sampledInputs: [PlayerInput] = []
    /// Every event shown (chat, drops, desyncs), in order.
    public private(set) var events: [LockstepEvent] = []
    /// The players the last `advance` waited for; empty once a tick runs again.
    public private(set) var waitingFor: [PlayerSlot] = []
    /// When the current stall began, while stalled.
    public private(set) var stalledSince: Timestamp?
    /// The input delay chosen at the start, in ticks, and the phase of `advance` after `sampleInput`.
    public private(set) var initialLead: (delay: Int, phase: TimeSpan) = (0, .zero)
    /// When the game started and when it finished here.
    public private(set) var startedAt: Timestamp?
    public private(set) var finishedAt: Timestamp?
    /// Datagram bytes sent on every link during the game (headers and tags included).
    public var bytesSentDuringGame: UInt64 { zip(lastBytesSent, startBytesSent).reduce(0) { $0 + ($1.0 &- $1.1) } }

    private let input: (any RunningGame) -> PlayerInput
    private var pendingRecorder: Recorder?
    private var nextProbe: Timestamp?
    private var frames = 0
    private var nextSample = Timestamp.zero
    private var nextAdvance: Timestamp?
    private var nextResend: Timestamp?
    private var startBytesSent: [UInt64]
    private var lastBytesSent: [UInt64]
    private var pendingChats: [String] = []
    private var lostBeforeStart: [PlayerSlot] = []
    /// Warm-up probes: our send times by sequence, and per peer what we heard.
    private var probeSentAt: [Timestamp] = []
    private var probeState: [ProbeState]

    /// What one peer's warm-up probes told us.
    struct ProbeState {
        /// Round trips measured through echoed probes.
        var roundTrips: [TimeSpan] = []
        /// Probes received and the highest sequence seen.
        var received = 0
        var highest = -1
        /// The latest probe received: its sequence and arrival time (echoed back).
        var latest: (sequence: Int, at: Timestamp)?
    }

    /// A peer for `slot`. `input` is asked for the local input once per tick, with the game as it stands.
    public init(
        slot: PlayerSlot, peerIDs: [PeerID], game: any RunningGame, recorder: Recorder,
        configuration: MeshGamePeerConfiguration, tickLimit: Int, input: @escaping (any RunningGame) -> PlayerInput
    ) {
        precondition(peerIDs.count == game.players.count, "one peer id per seat")
        self.slot = slot
        self.peerIDs = peerIDs
        self.game = game
        self.configuration = configuration
        self.tickLimit = tickLimit
        self.input = input
        self.pendingRecorder = recorder
        startBytesSent = Array(repeating: 0, count: peerIDs.count)
        lastBytesSent = startBytesSent
        probeState = Array(repeating: ProbeState(), count: peerIDs.count)
    }

    /// Whether warm-up has measured enough: every link has `minimumProbeSamples` round trips.
    public var isWarm: Bool {
        peerIDs.indices.allSatisfy { $0 == slot.index || probeState[$0].roundTrips.count >= configuration.minimumProbeSamples }
    }

    /// The session's figures, once started.
    public var stats: LockstepStats? { loop?.session.stats }

    /// The next time ``poll(at:endpoint:)`` has work; nil when idle.
    public var nextDeadline: Timestamp? {
        switch phase {
        case .idle: nil
        case .warmingUp: nextProbe
        case .playing, .finished: [nextSample, nextAdvance ?? nextSample, nextResend ?? nextSample].min()
        }
    }

    /// Starts probing every peer (links must be up) so their round trips get measured.
    public func beginWarmUp(at now: Timestamp) {
        guard phase == .idle else { return }
        phase = .warmingUp
        nextProbe = now
    }

    /// Starts the game at `now` (every peer at the same agreed time): chooses the input
    /// lead from the links' round-trip estimates and begins the tick schedule.
    public func start(at now: Timestamp, endpoint: MeshEndpoint<Address>) {
        guard phase == .idle || phase == .warmingUp, let recorder = pendingRecorder else { return }
        pendingRecorder = nil
        for (index, peer) in peerIDs.enumerated() where index != slot.index {
            if let stats = endpoint.stats(for: peer) { startBytesSent[index] = stats.bytesSent }
        }
        lastBytesSent = startBytesSent
        let lead = chooseLead()
        initialLead = lead
        let session = LockstepSession(configuration: LockstepConfiguration(
            localSlot: slot, playerCount: peerIDs.count, tickRate: configuration.tickRate,
            initialInputDelay: lead.delay, checksumInterval: configuration.checksumInterval,
            minimumInputDelay: 0, maximumInputDelay: max(30, lead.delay), adaptsInputDelay: configuration.adaptsInputDelay,
            stallTargetPerMillion: configuration.stallTargetPerMillion, checksDatagrams: false))
        var loop = LockstepGameLoop(session: session, game: game, recorder: recorder)
        for line in pendingChats { loop.sendChat(line) }
        for lost in lostBeforeStart { loop.peerLost(lost, at: now) }
        pendingChats = []
        self.loop = loop
        phase = .playing
        startedAt = now
        // Frames (advances) fall at the same instants on every peer; each peer samples its
        // phase earlier, so its inputs get its whole lead at every receiver, not a mix of
        // its delay and the receiver's phase.
        let firstAdvance = now + configuration.tickPeriod
        nextAdvance = firstAdvance
        nextSample = now + (configuration.tickPeriod - lead.phase)
        nextResend = configuration.resendsBetweenTicks ? nextSample + configuration.tickPeriod / 2 : nil
    }

    /// Queues a chat line from the local player (sent with the next sampled tick).
    public func sendChat(_ text: String) {
        if loop != nil { loop?.sendChat(text) } else { pendingChats.append(text) }
    }

    /// Handles one link event from the endpoint.
    public func handle(_ event: LinkEvent<Address>, at now: Timestamp, endpoint: inout MeshEndpoint<Address>) {
        switch event {
        case .message(let peer, let channel, let bytes, let reliable) where !reliable && channel == configuration.probeChannel:
            if let from = slot(of: peer) { receiveProbe(bytes, from: from.index, at: now) }
        case .message(let peer, let channel, let bytes, let reliable):
            guard !reliable, channel == configuration.lockstepChannel, let from = slot(of: peer), loop != nil else { return }
            let outputs = loop!.receive(bytes, from: from, at: now)
            carryOut(outputs, endpoint: &endpoint)
        case .linkLost(let peer, _):
            guard let lost = slot(of: peer) else { return }
            // Lost before the game: the player is dropped as soon as the game starts.
            guard loop != nil else { return lostBeforeStart.append(lost) }
            loop!.peerLost(lost, at: now)
        case .linkUp, .connectFailed:
            break
        }
        noteFinished(at: now)
    }

    /// Does whatever is due by `now`: probes while warming up; samples, advances and resends while playing.
    public func poll(at now: Timestamp, endpoint: inout MeshEndpoint<Address>) {
        if phase == .warmingUp {
            while let probe = nextProbe, probe <= now {
                let sequence = probeSentAt.count
                probeSentAt.append(now)
                for (index, peer) in peerIDs.enumerated() where index != slot.index {
                    // Sequence, then the latest probe heard from that peer (+1, 0: none) and how long we held it.
                    var writer = ByteWriter(capacity: 12)
                    writer.writeVarint(sequence)
                    if let latest = probeState[index].latest {
                        writer.writeVarint(latest.sequence + 1)
                        writer.writeVarint(UInt64(max(0, (now - latest.at).microseconds)))
                    } else {
                        writer.writeVarint(0)
                    }
                    _ = endpoint.sendUnreliable(writer.bytes, channel: configuration.probeChannel, to: peer)
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
                noteBytes(endpoint)
                if phase == .playing {
                    let value = input(game)
                    sampledInputs.append(value)
                    loop!.localInput(value, at: due)
                    carryOut(loop!.sampleInput(at: due), endpoint: &endpoint)
                } else {
                    carryOut(loop!.resend(at: due), endpoint: &endpoint)
                }
            } else if let advance = nextAdvance, due == advance {
                nextAdvance = advance + period
                // No tick beyond the limit becomes due, so catching up cannot run past it either.
                if phase == .playing, loop!.session.ticksDue < tickLimit { carryOut(loop!.advance(at: due), endpoint: &endpoint, at: due) }
            } else if let resend = nextResend, due == resend {
                nextResend = resend + period
                carryOut(loop!.resend(at: due), endpoint: &endpoint)
            }
            noteFinished(at: due)
        }
    }

    private func receiveProbe(_ bytes: [UInt8], from index: Int, at now: Timestamp) {
        var reader = ByteReader(bytes)
        guard let sequence = try? reader.readVarint(max: 1 << 20), let echo = try? reader.readVarint(max: 1 << 20) else { return }
        var state = probeState[index]
        state.received += 1
        if sequence > state.highest {
            state.highest = sequence
            state.latest = (sequence, now)
        }
        if echo > 0, echo - 1 < probeSentAt.count, let held = try? reader.readVarint(max: 10_000_000), reader.isAtEnd {
            let trip = now - probeSentAt[echo - 1] - .microseconds(Int64(held))
            if trip >= .zero { state.roundTrips.append(trip) }
        }
        probeState[index] = state
    }

    /// What warm-up measured on each link to another peer, in slot order.
    public var warmUpLinks: [LockstepLead.Link] {
        peerIDs.indices.filter { $0 != slot.index }.map { index in
            let state = probeState[index]
            return LockstepLead.Link(roundTrips: state.roundTrips, sent: state.highest + 1, received: state.received)
        }
    }

    /// The input lead (see `LockstepLead`) from what the probes measured.
    private func chooseLead() -> (delay: Int, phase: TimeSpan) {
        let links = warmUpLinks
        return LockstepLead.choose(
            links: links, tickRate: configuration.tickRate, sendsPerTick: configuration.resendsBetweenTicks ? 2 : 1,
            stallTargetPerMillion: configuration.stallTargetPerMillion, margin: configuration.leadMargin)
    }

    /// Whether this peer's game is over (played out, ended, or its session halted).
    public var isFinished: Bool { phase == .finished }

    private func noteFinished(at now: Timestamp) {
        guard phase == .playing, let loop else { return }
        if Int(game.tick.rawValue) >= tickLimit || game.outcome != nil || loop.session.isHalted {
            phase = .finished
            finishedAt = now
        }
    }

    private func noteBytes(_ endpoint: MeshEndpoint<Address>) {
        guard phase == .playing else { return }
        for (index, peer) in peerIDs.enumerated() where index != slot.index {
            if let sent = endpoint.stats(for: peer)?.bytesSent { lastBytesSent[index] = sent }
        }
    }

    private func slot(of peer: PeerID) -> PlayerSlot? {
        peerIDs.firstIndex(of: peer).flatMap { $0 == slot.index ? nil : PlayerSlot($0) }
    }

    private func carryOut(_ outputs: [LockstepOutput], endpoint: inout MeshEndpoint<Address>, at now: Timestamp? = nil) {
        for output in outputs {
            switch output {
            case .send(let to, let bytes):
                _ = endpoint.sendUnreliable(bytes, channel: configuration.lockstepChannel, to: peerIDs[to.index])
            case .event(let event):
                events.append(event)
            case .advanced:
                waitingFor = []
                stalledSince = nil
            case .stalled(let waiting):
                waitingFor = waiting
                if stalledSince == nil { stalledSince = now }
            }
        }
    }
}
