import MeshplayCore

/// One slot's input changing: from `tick` on (until the next change) it plays `input`.
public struct ReplayInputChange: Hashable, Sendable {
    public var tick: Tick
    public var slot: PlayerSlot
    public var input: PlayerInput

    public init(tick: Tick, slot: PlayerSlot, input: PlayerInput) {
        self.tick = tick
        self.slot = slot
        self.input = input
    }
}
