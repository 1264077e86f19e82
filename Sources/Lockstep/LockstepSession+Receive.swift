import MeshplayCore

extension LockstepSession {
    /// Applies a decoded datagram from a live peer.
    mutating func apply(_ message: LockstepMessage, from slot: PlayerSlot, at now: Timestamp) -> [LockstepAction] {
        var actions: [LockstepAction] = []
        let validMask: UInt32 = playerCount == 32 ? .max : (1 << UInt32(playerCount)) - 1
        var view = peers[slot.index]
        view.heard = true
        view.have = message.have.map { Int($0) }
        view.lostMask = message.lostMask & validMask
        view.slackOfOurInputs = message.slack
        view.checkpointAck = message.checkpointAck
        peers[slot.index] = view

        if message.lostMask & bit(me) != 0 {
            // The others gave up on us; whatever they decide, we are no longer in their game.
            if halted == nil {
                halted = .droppedByOthers
                actions.append(.dropped(slot: me, atTick: nextTickToSimulate))
            }
            return actions
        }
        // A loss declared by anyone is adopted by everyone: survivors must agree on one drop tick.
        let newlyLost = view.lostMask & ~lostMask
        for index in 0..<playerCount where newlyLost & (1 << UInt32(index)) != 0 {
            declareLost(PlayerSlot(index))
        }

        for block in message.blocks {
            // A peer speaks for itself, and forwards only players declared lost (ours to hold as well).
            let isOwn = block.slot == slot
            guard isOwn || (block.slot != me && lostMask & bit(block.slot) != 0) else { continue }
            if isOwn && lostMask & bit(slot) != 0 { continue }
            for (offset, entry) in block.entries.enumerated() {
                let tick = Int(block.firstTick) + offset
                logs[block.slot.index].insert(
                    .init(input: entry.input, chat: entry.chat, time: now, measured: isOwn),
                    at: tick
                )
            }
        }

        for checkpoint in message.checkpoints where checkpoints.recordPeer(slot, checkpoint) {
            noteDesync(at: checkpoint.tick)
        }
        actions += desyncEventIfReady(waited: false)
        return actions
    }
}
