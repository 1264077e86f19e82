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
}

/// Carries out a session's game actions on a `RunningGame` and a recorder, so a
/// shell (the NIO one, `meshplay sim`, the tests) only moves bytes and renders.
public struct LockstepGameLoop<Recorder: LockstepRecorder> {
    public private(set) var session: LockstepSession
    public let game: any RunningGame
    public private(set) var recorder: Recorder
    /// Signs this player's attestations and checks the peers' (nil: the match is unsigned).
    public private(set) var attestor: Attestor?
    /// The state at the latest checkpoints, oldest first, so a desync found a little
    /// later can still show the state it is about (described only then).
    private var checkpointStates: [(tick: Tick, state: GameStateSnapshot)] = []
    /// Checkpoint states kept: a peer's checksum arrives within its input delay of ours.
    static var keptStates: Int { 8 }

    /// A loop over `game`, which must not have stepped yet.
    public init(session: LockstepSession, game: any RunningGame, recorder: Recorder, attestor: Attestor? = nil) {
        precondition(game.tick == .zero, "the game must start at tick 0")
        self.session = session
        self.game = game
        self.recorder = recorder
        self.attestor = attestor
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
                game.step(inputs: inputs)
                recorder.recordTick(tick, inputs: inputs)
                outputs.append(.advanced(tick))
                if checksumDue {
                    let checksum = game.checksum()
                    recorder.checkpoint(tick, checksum: checksum)
                    checkpointStates.append((tick, game.snapshot()))
                    if checkpointStates.count > Self.keptStates { checkpointStates.removeFirst() }
                    // A desync found here is handled before anything else queued.
                    queue = session.reportChecksum(checksum, for: tick)[...] + queue
                }
                attest(tick: tick, inputs: inputs)
            case .attested(let slot, let tick, let signature):
                switch attestor?.check(slot, tick: tick, signature: signature) {
                case .valid: recorder.recordAttestation(slot: slot, tick: tick, signature: signature)
                case .invalid: session.stats.badAttestations += 1
                case .unchecked, nil: break
                }
            case .dropped(let slot, let tick):
                if slot != session.configuration.localSlot { game.removePlayer(slot) }
                record(.dropped(slot: slot, tick: tick), into: &outputs)
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

    /// Feeds the attestor the tick's inputs; at an attestation tick, signs, sends and records
    /// our statement, and records the peers' signatures that were waiting for it.
    private mutating func attest(tick: Tick, inputs: [PlayerInput]) {
        guard attestor != nil else { return }
        let game = self.game
        guard let result = attestor!.applied(tick: tick, inputs: inputs, checksum: { game.checksum() }) else { return }
        session.attest(tick: result.own.tick, signature: result.own.signature)
        recorder.recordAttestation(slot: session.configuration.localSlot, tick: result.own.tick, signature: result.own.signature)
        for peer in result.released {
            recorder.recordAttestation(slot: peer.slot, tick: peer.tick, signature: peer.signature)
        }
    }

    mutating func record(_ event: LockstepEvent, into outputs: inout [LockstepOutput]) {
        recorder.recordEvent(event)
        outputs.append(.event(event))
    }
}
