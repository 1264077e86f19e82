import MeshplayCore

/// A recorded state checksum: the checksum of the state after `tick` steps
/// (when `RunningGame.tick == tick`), before the events at `tick` are applied.
public struct ReplayCheckpoint: Hashable, Sendable {
    public var tick: Tick
    public var checksum: StateChecksum

    public init(tick: Tick, checksum: StateChecksum) {
        self.tick = tick
        self.checksum = checksum
    }
}
