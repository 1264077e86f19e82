import Attestation
import MeshplayCore

/// What a `LockstepGameLoop` leaves to its shell after handling the game part.
public enum LockstepOutput: Equatable, Sendable {
    /// Send these bytes to that peer (unreliable channel).
    case send(to: PlayerSlot, bytes: [UInt8])
    /// The game stepped this tick: render.
    case advanced(Tick)
    /// Show this (it has been recorded).
    case event(LockstepEvent)
    /// The game is waiting for these peers.
    case stalled(waitingFor: [PlayerSlot])
    /// A dropped seat plays again from `atTick`: its returning node must hear of it.
    case seatScheduled(slot: PlayerSlot, atTick: Tick)
}

/// Carries out a session's game actions on a `RunningGame` and a recorder, so a
/// shell (the NIO one, `meshplay sim`, the tests) only moves bytes and renders.
public struct LockstepGameLoop<Recorder: LockstepRecorder> {
    public private(set) var session: LockstepSession
    public let game: any RunningGame
    public private(set) var recorder: Recorder
    /// Signs this player's attestations and checks the peers' (nil: the match is unsigned).
    public private(set) var attestor: Attestor?
    /// Whether this node signs attestations of its own: a spectator's attestor only checks.
    public var signsAttestations = true
    /// Per slot, the highest tick whose attestation held here (own and fed ones included).
    public private(set) var attestedThrough: [UInt32]
    /// The state at the latest checkpoints, oldest first, so a desync found a little
    /// later can still show the state it is about (described only then).
    private var checkpointStates: [(tick: Tick, state: GameStateSnapshot)] = []
    /// Checkpoint states kept: a peer's checksum arrives within its input delay of ours.
    static var keptStates: Int { 8 }

    /// A loop over `game`, which must not have stepped yet, or, for a node taking its seat
    /// again, which stands where `session` resumes or still catches up to it (``applyFed(tick:inputs:)``).
    public init(session: LockstepSession, game: any RunningGame, recorder: Recorder, attestor: Attestor? = nil) {
        precondition(game.tick.rawValue <= session.nextTickToSimulate.rawValue, "the game is past the session's first tick")
        self.session = session
        self.game = game
        self.recorder = recorder
        self.attestor = attestor
        attestedThrough = Array(repeating: 0, count: session.configuration.playerCount)
    }

    /// Replaces the session (a node catching up from a feed gets its real one once its seat
    /// is scheduled). The game must not be past the new session's first tick.
    public mutating func resume(with session: LockstepSession) {
        precondition(game.tick.rawValue <= session.nextTickToSimulate.rawValue, "the game is past the session's first tick")
        self.session = session
    }

    /// Asks in our command stream that dropped `slot` play again (see `LockstepSession.requestSeat(for:lead:)`).
    public mutating func requestSeat(for slot: PlayerSlot, lead: Int) {
        session.requestSeat(for: slot, lead: lead)
    }

    /// Holds or releases the session's simulation (see `LockstepSession.hold(_:at:)`).
    public mutating func hold(_ held: Bool, at now: Timestamp) -> [LockstepOutput] {
        perform(session.hold(held, at: now))
    }

    /// Checks an attestation a feed told: recorded when it holds; `.unchecked` ones held for
    /// a tick not reached yet are recorded once they hold (see `Attestor`).
    public mutating func checkFed(slot: PlayerSlot, tick: UInt32, signature: [UInt8]) -> Attestor.Verdict {
        guard attestor != nil else { return .unchecked }
        let verdict = attestor!.check(slot, tick: tick, signature: signature)
        if verdict == .valid { keep(slot: slot, tick: tick, signature: signature) }
        return verdict
    }

    /// Steps the game through one tick told by a feed (a node catching up before it takes its
    /// seat again): recorded, checkpointed and attested like a tick the session simulated.
    /// Returns the state checksum when the tick ends on a checkpoint.
    @discardableResult
    public mutating func applyFed(tick: Tick, inputs: [PlayerInput]) -> StateChecksum? {
        precondition(game.tick == tick && tick.rawValue < session.nextTickToSimulate.rawValue, "a fed tick out of order")
        return step(tick: tick, inputs: inputs, checksumDue: (Int(tick.rawValue) + 1) % session.configuration.checksumInterval == 0)
    }

    /// Applies an event told by a feed before its tick's step (a node catching up): a player
    /// left or came back. Recorded like one the session reported.
    public mutating func applyFed(_ event: LockstepEvent) {
        switch event {
        case .dropped(let slot, _): game.removePlayer(slot)
        case .rejoined(let slot, _): game.restorePlayer(slot)
        case .chat, .desync, .lostMajority: break
        }
        recorder.recordFedEvent(event)
    }

    /// Lets `body` change the recorder in place (a shell flushing what it records to memory).
    public mutating func withRecorder<Result>(_ body: (inout Recorder) -> Result) -> Result {
        body(&recorder)
    }

    /// Sets the local input, sampled at the next `tick(at:)`.
    public mutating func localInput(_ input: PlayerInput, at now: Timestamp) {
        session.localInput(input, at: now)
    }

    /// Queues a local chat line.
    public mutating func sendChat(_ text: String) { session.sendChat(text) }

    /// The link layer lost `slot` for good.
    /// `leftOnPurpose`: it closed its link (see `LockstepSession.peerLost(_:leftOnPurpose:at:)`).
    public mutating func peerLost(_ slot: PlayerSlot, leftOnPurpose: Bool = false, at now: Timestamp) {
        session.peerLost(slot, leftOnPurpose: leftOnPurpose, at: now)
    }

    /// One tick period passed.
    public mutating func tick(at now: Timestamp) -> [LockstepOutput] {
        let actions = session.tick(at: now)
        return perform(actions)
    }

    /// Samples the local input and sends (see `LockstepSession.sampleInput(at:)`).
    public mutating func sampleInput(at now: Timestamp) -> [LockstepOutput] {
        perform(session.sampleInput(at: now))
    }

    /// One more tick is due; simulates what it can (see `LockstepSession.advance(at:)`).
    public mutating func advance(at now: Timestamp) -> [LockstepOutput] {
        perform(session.advance(at: now))
    }

    /// Between ticks: resend unacknowledged commands (see `LockstepSession.resend(at:)`).
    public mutating func resend(at now: Timestamp) -> [LockstepOutput] {
        let actions = session.resend(at: now)
        return perform(actions)
    }

    /// A datagram arrived from `slot`.
    public mutating func receive(_ bytes: [UInt8], from slot: PlayerSlot, at now: Timestamp) -> [LockstepOutput] {
        let actions = session.receive(bytes, from: slot, at: now)
        return perform(actions)
    }

    mutating func perform(_ actions: [LockstepAction]) -> [LockstepOutput] {
        var outputs: [LockstepOutput] = []
        var queue = actions[...]
        while let action = queue.popFirst() {
            switch action {
            case .send(let slot, let bytes):
                outputs.append(.send(to: slot, bytes: bytes))
            case .advance(let tick, let inputs, let checksumDue):
                precondition(game.tick == tick, "lockstep advanced tick \(tick) but the game is at \(game.tick)")
                outputs.append(.advanced(tick))
                if let checksum = step(tick: tick, inputs: inputs, checksumDue: checksumDue) {
                    // A desync found here is handled before anything else queued.
                    queue = session.reportChecksum(checksum, for: tick)[...] + queue
                }
            case .attested(let slot, let tick, let signature):
                switch attestor?.check(slot, tick: tick, signature: signature) {
                case .valid: keep(slot: slot, tick: tick, signature: signature)
                case .invalid: session.stats.badAttestations += 1
                case .unchecked, nil: break
                }
            case .dropped(let slot, let tick):
                if slot != session.configuration.localSlot { game.removePlayer(slot) }
                record(.dropped(slot: slot, tick: tick), into: &outputs)
            case .rejoined(let slot, let tick):
                game.restorePlayer(slot)
                record(.rejoined(slot: slot, tick: tick), into: &outputs)
            case .seatScheduled(let slot, let tick):
                outputs.append(.seatScheduled(slot: slot, atTick: tick))
            case .lostMajority(let tick, let reachable):
                record(.lostMajority(tick: tick, reachable: reachable), into: &outputs)
            case .chat(let slot, let text, let tick):
                record(.chat(slot: slot, text: text, tick: tick), into: &outputs)
            case .desync(let desync):
                recorder.recordDesync(desync, stateDump: checkpointStates.last { $0.tick == desync.tick }?.state.describe())
                record(.desync(desync), into: &outputs)
            case .stalled(let waiting):
                outputs.append(.stalled(waitingFor: waiting))
            }
        }
        return outputs
    }

    /// Steps the game one tick, records it and, at a checkpoint, its checksum (returned); attests.
    private mutating func step(tick: Tick, inputs: [PlayerInput], checksumDue: Bool) -> StateChecksum? {
        game.step(inputs: inputs)
        recorder.recordTick(tick, inputs: inputs)
        var checksum: StateChecksum?
        if checksumDue {
            let sum = game.checksum()
            recorder.checkpoint(tick, checksum: sum)
            checkpointStates.append((tick, game.snapshot()))
            if checkpointStates.count > Self.keptStates { checkpointStates.removeFirst() }
            checksum = sum
        }
        attest(tick: tick, inputs: inputs)
        return checksum
    }

    /// Feeds the attestor the tick's inputs; at an attestation tick, signs, sends and records
    /// our statement, and records the peers' signatures that were waiting for it.
    private mutating func attest(tick: Tick, inputs: [PlayerInput]) {
        guard attestor != nil else { return }
        let game = self.game
        guard let result = attestor!.applied(tick: tick, inputs: inputs, checksum: { game.checksum() }) else { return }
        if signsAttestations {
            session.attest(tick: result.own.tick, signature: result.own.signature)
            keep(slot: session.configuration.localSlot, tick: result.own.tick, signature: result.own.signature)
        }
        for peer in result.released {
            keep(slot: peer.slot, tick: peer.tick, signature: peer.signature)
        }
    }

    /// Records a signature that holds.
    private mutating func keep(slot: PlayerSlot, tick: UInt32, signature: [UInt8]) {
        attestedThrough[slot.index] = max(attestedThrough[slot.index], tick)
        recorder.recordAttestation(slot: slot, tick: tick, signature: signature)
    }

    mutating func record(_ event: LockstepEvent, into outputs: inout [LockstepOutput]) {
        recorder.recordEvent(event)
        outputs.append(.event(event))
    }
}
