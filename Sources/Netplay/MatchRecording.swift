import Attestation
import Lockstep
import Lobby
import MeshplayCore

/// Where one match is recorded as it is played: a replay file on a background writer in a
/// real game, nothing (or memory) in a test. Netplay never opens a file itself; whoever
/// starts a node hands it a ``MatchRecorderFactory``.
///
/// Calls come in tick order from the node's thread (the event loop): a tick's events, then
/// the tick, then its checkpoint (``LockstepRecorder``). Implementations must not block.
public protocol MatchRecording: AnyObject, LockstepRecorder {
    /// Where the recording goes ("replays/duo-r1-g1-slot0-ann.mpr"), for people.
    var path: String? { get }
    /// The first recording failure, after which nothing more is recorded (the game goes on).
    var failure: String? { get }
    /// Where this peer's state dump went after a desync, if one was written.
    var desyncDumpPath: String? { get }
    /// The match ended: write the trailer with `game`'s final checksum and outcome, and close.
    /// `endedEarly` says why it stopped before the game called it ("left the match"), else nil.
    func finish(game: any RunningGame, endedEarly: String?)
    /// The match was abandoned here (left early, crashed peers): close without a trailer,
    /// keeping what was recorded (the file verifies as truncated).
    func abandon()
    /// An event a feed told and the game applied (see `LockstepRecorder.recordFedEvent`):
    /// recorded even when it is about this node's own seat.
    func recordFedEvent(_ event: LockstepEvent)
}

/// Makes a recording for each match a node plays.
public protocol MatchRecorderFactory: Sendable {
    /// A recording of the match `start` about to be played as `game` (at tick 0), the
    /// `number`th match of this node, with checkpoints every `checkpointInterval` ticks, signed
    /// as `attestation` says (nil: unsigned). Throwing means "not recorded"; the match is
    /// played anyway and the reason reported.
    func makeRecording(
        for start: GameStart, game: any RunningGame, number: Int, checkpointInterval: Int, attestation: AttestationPlan?
    ) throws -> any MatchRecording

    /// A recording of a match this node watches (`start.localSlot` is only its point of view;
    /// it plays no seat). The default records it like a match played.
    func makeWatchRecording(
        for start: GameStart, game: any RunningGame, number: Int, checkpointInterval: Int, attestation: AttestationPlan?
    ) throws -> any MatchRecording
}

extension MatchRecorderFactory {
    public func makeWatchRecording(
        for start: GameStart, game: any RunningGame, number: Int, checkpointInterval: Int, attestation: AttestationPlan?
    ) throws -> any MatchRecording {
        try makeRecording(for: start, game: game, number: number, checkpointInterval: checkpointInterval, attestation: attestation)
    }
}

/// What a node's lockstep loop records into: the match's recording, if any, and, for
/// simulations that compare peers, a tally of every applied input, chat line, drop and
/// checkpoint kept in memory.
public struct NodeRecorder: LockstepRecorder {
    /// The recording, if the match is recorded.
    public private(set) var recording: (any MatchRecording)?
    /// Whether the tally below is kept (simulations; a long real game would grow it for nothing).
    public let keepsTally: Bool
    /// Every tick's inputs as applied, in tick order (with ``keepsTally``).
    public private(set) var applied: [[PlayerInput]] = []
    /// Chat lines and drops, in order (with ``keepsTally``; desyncs are reported apart).
    public private(set) var events: [LockstepEvent] = []
    /// Every checkpoint: tick stepped, checksum after it (with ``keepsTally``).
    public private(set) var checkpoints: [(tick: Tick, checksum: StateChecksum)] = []
    /// Per slot, the last tick whose attestation held here (with ``keepsTally``; empty until one does).
    public private(set) var attested: [UInt32?] = []

    /// The match so far as replay bytes in memory, served to spectators and rejoining players.
    public internal(set) var history: MatchHistory?

    /// A recorder into `recording` (and `history`), keeping a tally when `keepsTally`.
    public init(recording: (any MatchRecording)?, keepsTally: Bool, history: MatchHistory? = nil) {
        self.recording = recording
        self.keepsTally = keepsTally
        self.history = history
    }

    public mutating func recordTick(_ tick: Tick, inputs: [PlayerInput]) {
        if keepsTally { applied.append(inputs) }
        recording?.recordTick(tick, inputs: inputs)
        history?.recordTick(tick, inputs: inputs)
    }

    public mutating func recordEvent(_ event: LockstepEvent) {
        if keepsTally, case .desync = event {} else if keepsTally { events.append(event) }
        recording?.recordEvent(event)
        history?.recordEvent(event)
    }

    public mutating func recordFedEvent(_ event: LockstepEvent) {
        if keepsTally { events.append(event) }
        recording?.recordFedEvent(event)
        history?.recordEvent(event, includingOwn: true)
    }

    public mutating func recordDesync(_ desync: LockstepDesync, stateDump: String?) {
        recording?.recordDesync(desync, stateDump: stateDump)
    }

    public mutating func recordAttestation(slot: PlayerSlot, tick: UInt32, signature: [UInt8]) {
        if keepsTally {
            if attested.count <= slot.index { attested += Array(repeating: nil, count: slot.index + 1 - attested.count) }
            attested[slot.index] = max(attested[slot.index] ?? 0, tick)
        }
        recording?.recordAttestation(slot: slot, tick: tick, signature: signature)
        history?.recordAttestation(slot: slot, tick: tick, signature: signature)
    }

    public mutating func checkpoint(_ tick: Tick, checksum: StateChecksum) {
        if keepsTally { checkpoints.append((tick, checksum)) }
        recording?.checkpoint(tick, checksum: checksum)
        history?.checkpoint(tick, checksum: checksum)
    }
}
