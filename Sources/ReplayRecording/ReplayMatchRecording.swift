import Attestation
import Lockstep
import MeshplayCore
import Netplay
import Replay

/// Records one networked match into a replay file as it is played: Netplay's
/// ``MatchRecording`` over Replay's writer.
///
/// The two layers count checkpoints differently, and this type lines them up:
/// Lockstep's `checkpoint(tick, checksum)` is the state *after stepping* `tick`
/// (it comes when `tick + 1` is a multiple of the session's checksum interval K),
/// while a replay checkpoint at tick `t` is the state when `game.tick == t`,
/// written before that tick's events and inputs. So Lockstep's checkpoint of
/// tick `t` becomes the replay checkpoint of tick `t + 1`, a multiple of K, and
/// the header's checkpoint interval is the same K. The state at tick 0 is
/// recorded when recording begins.
///
/// Events map as: chat → `ReplayEvent.chat` at its tick; another player dropped
/// at tick `D` → `ReplayEvent.leave` at `D` (before `D` is stepped, as the game
/// loop removes it). The local player being dropped by the others ends this
/// peer's game, not the match: nothing is recorded and the file is finished
/// where this peer stopped. Desyncs are not replay events: the replay ends at the
/// desync, and this peer's state at the bad checkpoint is written beside it as
/// text, to `<replay>.desync-<tick>.txt` (``desyncDumpPath``), to diff against the
/// other peers' dumps.
///
/// Write errors do not stop the game: the first one is kept in ``failure`` and
/// nothing more is written. Which thread writes is the sink's business: a
/// `QueuedReplayWriter` (real games: the event loop never waits for a disk) or a
/// `ReplayFileWriter` (simulations and tests).
public final class ReplayMatchRecording: MatchRecording {
    /// The file being written.
    public let writer: any ReplaySink
    /// The first write error, after which recording stopped.
    public private(set) var writeError: ReplayWriteError?
    public private(set) var desyncDumpPath: String?
    private let localSlot: PlayerSlot

    /// Begins the file with `game`'s header and its tick-0 checkpoint.
    /// - Parameters:
    ///   - writer: a writer that has not begun.
    ///   - game: the game about to be played (at tick 0).
    ///   - localSlot: the recording peer's seat.
    ///   - ticksPerSecond: the game's tick rate (playback speed).
    ///   - checkpointInterval: the lockstep session's checksum interval K.
    ///   - attestation: the match's attestation interval and players' keys (nil: unsigned).
    public init(
        writer: any ReplaySink, game: any RunningGame, localSlot: PlayerSlot, ticksPerSecond: Int, checkpointInterval: Int,
        attestation: AttestationPlan? = nil
    ) throws {
        precondition(game.tick == .zero, "recording must begin at tick 0")
        self.writer = writer
        self.localSlot = localSlot
        try writer.begin(ReplayHeader(
            recording: game, ticksPerSecond: ticksPerSecond, checkpointInterval: checkpointInterval, attestation: attestation))
        try writer.checkpoint(tick: .zero, checksum: game.checksum())
    }

    public var path: String? { writer.path }
    public var failure: String? { (writeError ?? writer.failure).map { "\($0)" } }

    public func recordTick(_ tick: Tick, inputs: [PlayerInput]) {
        write { try $0.record(tick: tick, inputs: inputs) }
    }

    public func recordEvent(_ event: LockstepEvent) {
        // A node's own drop, desyncs and splits are said by the end record (see `finish(game:endedEarly:)`).
        guard let (replayEvent, tick) = event.replayEvent(localSlot: localSlot) else { return }
        write { try $0.record(event: replayEvent, at: tick) }
    }

    public func recordFedEvent(_ event: LockstepEvent) {
        guard let (replayEvent, tick) = event.replayEvent(localSlot: localSlot, includingOwn: true) else { return }
        write { try $0.record(event: replayEvent, at: tick) }
    }

    public func recordDesync(_ desync: LockstepDesync, stateDump: String?) {
        guard desyncDumpPath == nil else { return }
        let path = "\(writer.path).desync-\(desync.tick.rawValue).txt"
        var text = "meshplay desync: \(desync)\n"
        text += "state of slot \(localSlot.rawValue) after tick \(desync.tick.rawValue) (replay \(writer.path)):\n"
        text += stateDump ?? "(the state of that tick was no longer held)\n"
        // Written by the sink (off the event loop for a queued writer); the path is known now.
        writer.writeSideFile(atPath: path, contents: Array(text.utf8), completion: nil)
        desyncDumpPath = path
    }

    public func checkpoint(_ tick: Tick, checksum: StateChecksum) {
        write { try $0.checkpoint(tick: Tick(tick.rawValue + 1), checksum: checksum) }
    }

    public func recordAttestation(slot: PlayerSlot, tick: UInt32, signature: [UInt8]) {
        write { try $0.attest(ReplayAttestation(slot: slot, tick: Tick(tick), signature: signature)) }
    }

    public func finish(game: any RunningGame, endedEarly: String?) {
        write { try $0.finish(finalChecksum: game.checksum(), outcome: game.outcome, endedEarly: endedEarly) }
    }

    public func abandon() {
        try? writer.close()
    }

    private func write(_ body: (any ReplaySink) throws -> Void) {
        guard writeError == nil else { return }
        do {
            try body(writer)
        } catch let error as ReplayWriteError {
            writeError = error
        } catch {
            writeError = ReplayWriteError("\(error)")
        }
    }
}
