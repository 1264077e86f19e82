import MeshplayCore

/// A recorded state checksum: the checksum of the state after `tick` steps
/// (when `RunningGame.tick == tick`), before the events at `tick` are applied.
public struct ReplayCheckpoint: Hashable, Sendable {
    /// The tick the checksum was taken at.
    public var tick: Tick
    /// The recorded checksum.
    public var checksum: StateChecksum

    /// A checkpoint at `tick`.
    public init(tick: Tick, checksum: StateChecksum) {
        self.tick = tick
        self.checksum = checksum
    }
}
