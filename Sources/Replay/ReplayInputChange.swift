import MeshplayCore

/// One slot's input changing: from `tick` on (until the next change) it plays `input`.
public struct ReplayInputChange: Hashable, Sendable {
    /// The first tick played with the new input.
    public var tick: Tick
    /// Whose input changed.
    public var slot: PlayerSlot
    /// The new input.
    public var input: PlayerInput

    /// `slot` plays `input` from `tick` on.
    public init(tick: Tick, slot: PlayerSlot, input: PlayerInput) {
        self.tick = tick
        self.slot = slot
        self.input = input
    }
}
