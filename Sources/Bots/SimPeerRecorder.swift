import Lockstep
import MeshplayCore

/// What one simulated peer applied, kept in memory for cross-peer checks, and
/// optionally a replay file recorded alongside.
public struct SimPeerRecorder: LockstepRecorder {
    /// Every tick's inputs as applied, in tick order.
    public private(set) var applied: [[PlayerInput]] = []
    /// Chat lines and drops, in order (desyncs are left out: they are reported apart).
    public private(set) var events: [LockstepEvent] = []
    /// Every checkpoint (tick stepped, checksum after it).
    public private(set) var checkpoints: [(tick: Tick, checksum: StateChecksum)] = []
    /// The replay being written, if any.
    public let replay: ReplayLockstepRecorder?

    /// A recorder that also writes `replay` when given.
    public init(replay: ReplayLockstepRecorder?) { self.replay = replay }

    public mutating func recordTick(_ tick: Tick, inputs: [PlayerInput]) {
        applied.append(inputs)
        replay?.recordTick(tick, inputs: inputs)
    }

    public mutating func recordEvent(_ event: LockstepEvent) {
        if case .desync = event {} else { events.append(event) }
        replay?.recordEvent(event)
    }

    public mutating func recordDesync(_ desync: LockstepDesync, stateDump: String?) {
        replay?.recordDesync(desync, stateDump: stateDump)
    }

    public mutating func checkpoint(_ tick: Tick, checksum: StateChecksum) {
        checkpoints.append((tick, checksum))
        replay?.checkpoint(tick, checksum: checksum)
    }
}
