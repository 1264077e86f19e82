import Lockstep
import MeshplayCore

/// Keeps everything a game loop records, for comparing peers.
struct MemoryRecorder: LockstepRecorder {
    struct Checkpoint: Equatable {
        var tick: Tick
        var checksum: StateChecksum
    }

    var inputs: [[PlayerInput]] = []
    var checkpoints: [Checkpoint] = []
    var events: [LockstepEvent] = []
    /// The state dump handed over with each desync.
    var desyncDumps: [String?] = []

    mutating func recordTick(_ tick: Tick, inputs: [PlayerInput]) {
        precondition(Int(tick.rawValue) == self.inputs.count, "ticks recorded out of order")
        self.inputs.append(inputs)
    }

    mutating func recordEvent(_ event: LockstepEvent) { events.append(event) }

    mutating func recordDesync(_ desync: LockstepDesync, stateDump: String?) { desyncDumps.append(stateDump) }

    mutating func checkpoint(_ tick: Tick, checksum: StateChecksum) {
        checkpoints.append(Checkpoint(tick: tick, checksum: checksum))
    }

    var drops: [LockstepEvent] { events.filter { if case .dropped = $0 { true } else { false } } }
    var chats: [LockstepEvent] { events.filter { if case .chat = $0 { true } else { false } } }
    var desyncs: [LockstepDesync] { events.compactMap { if case .desync(let desync) = $0 { desync } else { nil } } }
}
