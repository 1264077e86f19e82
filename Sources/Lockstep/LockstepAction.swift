import MeshplayCore

/// What the driver must do after calling the session. Carry actions out in order.
public enum LockstepAction: Equatable, Sendable {
    /// Send these bytes to that peer over the unreliable channel.
    case send(to: PlayerSlot, bytes: [UInt8])
    /// Step the game once with these inputs (one per slot, `.none` for dropped
    /// players). When `checksumDue` (tick + 1 is a multiple of the checksum interval), compute the state checksum afterwards and
    /// pass it to `LockstepSession.reportChecksum(_:for:)`.
    case advance(tick: Tick, inputs: [PlayerInput], checksumDue: Bool)
    /// Remove the player from the game now, before the `advance` of `atTick`.
    /// When `slot` is the local slot, the other peers have dropped this node:
    /// the session has stopped.
    case dropped(slot: PlayerSlot, atTick: Tick)
    /// The players this peer can still reach hold no majority of the seats: the session has
    /// stopped before simulating `atTick`, the tick its agreed drops would have taken effect.
    /// Every peer on the same side of a split names the same tick and the same `reachable`
    /// slots (itself included, in slot order); the majority side drops them and plays on.
    case lostMajority(atTick: Tick, reachable: [PlayerSlot])
    /// A dropped seat is re-opened for its node, which plays again from `atTick` (see
    /// `LockstepSession+Rejoin`): tell that node, which is catching up from a feed.
    case seatScheduled(slot: PlayerSlot, atTick: Tick)
    /// A dropped player plays again from `atTick`: restore it in the game before that tick's step.
    case rejoined(slot: PlayerSlot, atTick: Tick)
    /// A chat line scheduled at `tick`: show it (and record it) before that tick's `advance`.
    case chat(slot: PlayerSlot, text: String, tick: Tick)
    /// States differ; the session has stopped advancing.
    case desync(LockstepDesync)
    /// A peer's signature of its statement at the attestation tick `tick`, first arrival
    /// (check it against our own statement, then record it).
    case attested(slot: PlayerSlot, tick: UInt32, signature: [UInt8])
    /// The tick could not be simulated: these peers' inputs (or drop proposals) are missing.
    case stalled(waitingFor: [PlayerSlot])
}

/// A detected state divergence.
public struct LockstepDesync: Equatable, Sendable, CustomStringConvertible {
    /// The checkpoint tick whose checksums differ.
    public var tick: Tick
    /// This peer's checksum at that tick.
    public var localChecksum: StateChecksum
    /// The peers whose checksum differs from the local one, by slot.
    public var peers: [PlayerSlot]

    public init(tick: Tick, localChecksum: StateChecksum, peers: [PlayerSlot]) {
        self.tick = tick
        self.localChecksum = localChecksum
        self.peers = peers
    }

    public var description: String {
        "desync at tick \(tick): local \(localChecksum), differing \(peers.map(\.description).joined(separator: ","))"
    }
}
