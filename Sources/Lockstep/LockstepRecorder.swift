import MeshplayCore

/// Something that happened at a tick, worth showing and recording.
public enum LockstepEvent: Equatable, Sendable {
    case chat(slot: PlayerSlot, text: String, tick: Tick)
    case dropped(slot: PlayerSlot, tick: Tick)
    /// A dropped player took its seat again (it rejoined), before `tick`'s step.
    case rejoined(slot: PlayerSlot, tick: Tick)
    case desync(LockstepDesync)
    /// This peer's side of a split holds no majority of the seats: its game stopped before
    /// `tick` (see `LockstepAction.lostMajority`).
    case lostMajority(tick: Tick, reachable: [PlayerSlot])
}

/// Where a lockstep game is recorded as it is played (the integrator backs it with the replay writer).
/// Calls come in tick order: a tick's events, then the tick, then its checkpoint.
public protocol LockstepRecorder {
    /// The inputs every slot played at `tick` (`.none` for dropped slots).
    mutating func recordTick(_ tick: Tick, inputs: [PlayerInput])
    /// A chat line, a drop (before the tick it happens at) or a desync.
    mutating func recordEvent(_ event: LockstepEvent)
    /// The state checksum after `tick`.
    mutating func checkpoint(_ tick: Tick, checksum: StateChecksum)
    /// A desync was found: `stateDump` is this peer's readable state after the tick
    /// whose checksums differ (nil if it was no longer held). Called before the
    /// desync's `recordEvent`. The default keeps nothing.
    mutating func recordDesync(_ desync: LockstepDesync, stateDump: String?)
    /// A signature that holds: `slot`'s attestation of `tick` (a tick this peer has reached).
    /// The default keeps nothing.
    mutating func recordAttestation(slot: PlayerSlot, tick: UInt32, signature: [UInt8])
    /// An event a feed told and the game applied (a node catching up before it takes its seat
    /// again), this node's own seat leaving included. The default records it as `recordEvent`.
    mutating func recordFedEvent(_ event: LockstepEvent)
}

extension LockstepRecorder {
    public mutating func recordDesync(_ desync: LockstepDesync, stateDump: String?) {}
    public mutating func recordAttestation(slot: PlayerSlot, tick: UInt32, signature: [UInt8]) {}
    public mutating func recordFedEvent(_ event: LockstepEvent) { recordEvent(event) }
}

/// A recorder that keeps nothing, for drivers that do not record.
public struct DiscardingRecorder: LockstepRecorder, Sendable {
    public init() {}
    public mutating func recordTick(_ tick: Tick, inputs: [PlayerInput]) {}
    public mutating func recordEvent(_ event: LockstepEvent) {}
    public mutating func checkpoint(_ tick: Tick, checksum: StateChecksum) {}
}
