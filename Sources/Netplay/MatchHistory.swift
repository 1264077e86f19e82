import Attestation
import Lockstep
import MeshplayCore
import Replay

/// The match as this node has played it so far, kept in memory as the bytes of a replay
/// file: what it serves to spectators and to a player rejoining the match (see `WatchFeed`).
///
/// It is the replay format, not a format of its own, so a subscriber reads it with the
/// replay reader's checks (every record check-chained, every entry validated) and checks
/// the players' attestations in it the way `meshplay verify` does. Blocks close every fifth
/// of a second of game time, so a live feed trails the game by at most that.
///
/// Bounded: past ``maxBytes`` it stops growing and says so (``failure``); serving it then
/// stops too, and the match itself goes on.
public struct MatchHistory: Sendable {
    /// The most bytes kept: far beyond an hour of an 8-player 30 Hz match (a few hundred KiB).
    public static let maxBytes = 16 << 20

    private var encoder: ReplayEncoder
    /// The replay bytes so far: whole records only.
    public private(set) var bytes: [UInt8] = []
    /// Why the history stopped growing, if it did.
    public private(set) var failure: String?
    /// Whether the trailer was written (the match is over here).
    public private(set) var isFinished = false
    /// The seat recorded as dropped for good is this node's own (not recorded; see `recordEvent`).
    private let localSlot: PlayerSlot

    /// A history of `game` (at tick 0) as played from `localSlot`.
    public init(game: any RunningGame, localSlot: PlayerSlot, tickRate: Int, checkpointInterval: Int, attestation: AttestationPlan?) {
        self.localSlot = localSlot
        encoder = ReplayEncoder(configuration: .init(flushIntervalTicks: max(1, tickRate / 5)))
        record {
            try $0.begin(ReplayHeader(recording: game, ticksPerSecond: tickRate, checkpointInterval: checkpointInterval, attestation: attestation))
            try $0.checkpoint(tick: .zero, checksum: game.checksum())
        }
    }

    /// The tick whose inputs come next: every tick before it is in ``bytes`` or the open block.
    public var nextTick: Tick { encoder.nextTick }

    mutating func recordTick(_ tick: Tick, inputs: [PlayerInput]) {
        record { try $0.record(tick: tick, inputs: inputs) }
    }

    /// `includingOwn`: the event is about this node's own seat too (a feed told it, the game applied it).
    mutating func recordEvent(_ event: LockstepEvent, includingOwn: Bool = false) {
        guard let (replayEvent, tick) = event.replayEvent(localSlot: localSlot, includingOwn: includingOwn) else { return }
        record { try $0.record(event: replayEvent, at: tick) }
    }

    mutating func checkpoint(_ tick: Tick, checksum: StateChecksum) {
        record { try $0.checkpoint(tick: Tick(tick.rawValue + 1), checksum: checksum) }
    }

    mutating func recordAttestation(slot: PlayerSlot, tick: UInt32, signature: [UInt8]) {
        record { try $0.attest(ReplayAttestation(slot: slot, tick: Tick(tick), signature: signature)) }
    }

    /// Closes the open block now, so a subscriber gets every tick so far.
    public mutating func flush() {
        record { $0.flush() }
    }

    /// Writes the trailer: the final checksum and outcome (and why it ended early).
    mutating func finish(game: any RunningGame, endedEarly: String?) {
        guard !isFinished else { return }
        record { try $0.finish(finalChecksum: game.checksum(), outcome: game.outcome, endedEarly: endedEarly) }
        isFinished = true
    }

    private mutating func record(_ body: (inout ReplayEncoder) throws -> Void) {
        guard failure == nil else { return }
        do {
            try body(&encoder)
        } catch {
            failure = "\(error)"
            return
        }
        guard encoder.hasOutput else { return }
        let output = encoder.takeOutput()
        guard bytes.count + output.count <= Self.maxBytes else {
            failure = "the match history passed \(Self.maxBytes >> 20) MiB"
            return
        }
        bytes += output
    }
}

extension LockstepEvent {
    /// What a replay records of the event, at which tick: chat, and other players leaving or
    /// coming back. A node's own drop, desyncs and splits end the recording instead (its
    /// trailer says why), unless `includingOwn`: a feed told the node of its own seat leaving
    /// and coming back, and its game applied both.
    public func replayEvent(localSlot: PlayerSlot, includingOwn: Bool = false) -> (ReplayEvent, Tick)? {
        switch self {
        case .chat(let slot, let text, let tick): (.chat(slot: slot, text: text), tick)
        case .dropped(let slot, let tick) where slot != localSlot || includingOwn: (.leave(slot: slot), tick)
        case .rejoined(let slot, let tick) where slot != localSlot || includingOwn: (.rejoin(slot: slot), tick)
        case .dropped, .rejoined, .desync, .lostMajority: nil
        }
    }
}
