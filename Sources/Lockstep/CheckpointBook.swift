import MeshplayCore

/// This peer's recent state checksums and those received from others, compared
/// tick by tick to detect a desync.
struct CheckpointBook: Sendable {
    /// Most own checkpoints kept (to resend and to compare late arrivals).
    static let ownCapacity = 32
    /// Most checkpoints kept per peer (bounds what a peer can make us store).
    static let peerCapacity = 64

    private(set) var own: [LockstepMessage.Checkpoint] = []
    private var received: [[LockstepMessage.Checkpoint]]
    /// The highest checkpoint tick received from each peer, acknowledged back to it.
    private(set) var highestReceived: [UInt32?]

    init(playerCount: Int) {
        received = Array(repeating: [], count: playerCount)
        highestReceived = Array(repeating: nil, count: playerCount)
    }

    /// Adds our checksum; true when a peer's checksum for that tick differs.
    mutating func recordOwn(tick: UInt32, checksum: StateChecksum) -> Bool {
        own.append(.init(tick: tick, checksum: checksum))
        if own.count > Self.ownCapacity { own.removeFirst(own.count - Self.ownCapacity) }
        return received.contains { list in list.contains { $0.tick == tick && $0.checksum != checksum } }
    }

    /// Adds a peer's checksum; true when it differs from ours for the same tick.
    mutating func recordPeer(_ slot: PlayerSlot, _ checkpoint: LockstepMessage.Checkpoint) -> Bool {
        // Checkpoints arrive in order and are resent until acked: older ones are copies.
        if let highest = highestReceived[slot.index], checkpoint.tick <= highest { return false }
        highestReceived[slot.index] = checkpoint.tick
        received[slot.index].append(checkpoint)
        if received[slot.index].count > Self.peerCapacity { received[slot.index].removeFirst() }
        return ownChecksum(at: checkpoint.tick).map { $0 != checkpoint.checksum } ?? false
    }

    /// Forgets what `slot` sent (its seat is taken again by a node that starts afresh).
    mutating func forget(_ slot: PlayerSlot) {
        received[slot.index] = []
        highestReceived[slot.index] = nil
    }

    func ownChecksum(at tick: UInt32) -> StateChecksum? { own.first { $0.tick == tick }?.checksum }

    /// Among `peers`, those whose checksum for `tick` we lack and those whose checksum differs from ours.
    func comparison(at tick: UInt32, among peers: [PlayerSlot]) -> (missing: [PlayerSlot], differing: [PlayerSlot]) {
        let mine = ownChecksum(at: tick)
        var missing: [PlayerSlot] = []
        var differing: [PlayerSlot] = []
        for peer in peers {
            guard let theirs = received[peer.index].first(where: { $0.tick == tick }) else {
                missing.append(peer)
                continue
            }
            if theirs.checksum != mine { differing.append(peer) }
        }
        return (missing, differing)
    }

    /// Our checkpoints after `tick` (all when nil), at most `limit`, oldest first.
    func own(after tick: UInt32?, limit: Int) -> [LockstepMessage.Checkpoint] {
        Array(own.lazy.filter { tick == nil || $0.tick > tick! }.prefix(limit))
    }
}
