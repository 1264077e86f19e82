import MeshplayCore

/// This peer's recent state checksums and those received from others, compared
/// tick by tick to detect a desync.
struct CheckpointBook: Sendable {
    /// Most own checkpoints kept (to resend and to compare late arrivals).
    static let ownCapacity = 32
    /// Most unmatched checkpoints kept per peer (bounds what a peer can make us store).
    static let peerCapacity = 64

    private(set) var own: [LockstepMessage.Checkpoint] = []
    private var pending: [[LockstepMessage.Checkpoint]]
    /// The highest checkpoint tick received from each peer, acknowledged back to it.
    private(set) var highestReceived: [UInt32?]

    init(playerCount: Int) {
        pending = Array(repeating: [], count: playerCount)
        highestReceived = Array(repeating: nil, count: playerCount)
    }

    /// Adds our checksum; returns the peers (by slot) whose held checksum for that tick differs.
    mutating func recordOwn(tick: UInt32, checksum: StateChecksum) -> [PlayerSlot] {
        own.append(.init(tick: tick, checksum: checksum))
        if own.count > Self.ownCapacity { own.removeFirst(own.count - Self.ownCapacity) }
        var differing: [PlayerSlot] = []
        for slot in pending.indices {
            guard let index = pending[slot].firstIndex(where: { $0.tick == tick }) else { continue }
            if pending[slot][index].checksum != checksum { differing.append(PlayerSlot(slot)) }
            pending[slot].remove(at: index)
        }
        return differing
    }

    /// Adds a peer's checksum; true when it differs from ours for the same tick.
    mutating func recordPeer(_ slot: PlayerSlot, _ checkpoint: LockstepMessage.Checkpoint) -> Bool {
        if let highest = highestReceived[slot.index], checkpoint.tick <= highest {
            // Already seen (a redundant copy) unless it is still pending; either way nothing new.
            return false
        }
        highestReceived[slot.index] = checkpoint.tick
        if let mine = own.first(where: { $0.tick == checkpoint.tick }) {
            return mine.checksum != checkpoint.checksum
        }
        // Older than anything we keep: we have moved past it and can no longer compare.
        if let oldest = own.first, checkpoint.tick < oldest.tick { return false }
        pending[slot.index].append(checkpoint)
        if pending[slot.index].count > Self.peerCapacity { pending[slot.index].removeFirst() }
        return false
    }

    /// Our checkpoints after `tick` (all when nil), at most `limit`, oldest first.
    func own(after tick: UInt32?, limit: Int) -> [LockstepMessage.Checkpoint] {
        let newer = own.filter { tick == nil || $0.tick > tick! }
        return Array(newer.prefix(limit))
    }
}
