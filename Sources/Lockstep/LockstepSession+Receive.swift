import MeshplayCore

extension LockstepSession {
    /// Applies a decoded datagram from a live peer.
    mutating func apply(_ message: LockstepMessage, from slot: PlayerSlot, at now: Timestamp) -> [LockstepAction] {
        var actions: [LockstepAction] = []
        let validMask: UInt32 = playerCount == 32 ? .max : (1 << UInt32(playerCount)) - 1
        var view = peers[slot.index]
        view.heard = true
        // Our stream's ack only grows; a reordered older one changes nothing.
        if let ack = message.ack { view.have[me.index] = max(view.have[me.index], Int(ack)) }
        if let have = message.have {
            // The latest full report wins (the drop rule compares it with the mask sent with it).
            for index in 0..<playerCount where index != me.index { view.have[index] = Int(have[index]) }
            view.have[me.index] = max(view.have[me.index], Int(have[me.index]))
        }
        // A datagram without the vector says the sender's lost mask was empty.
        view.lostMask = message.lostMask & validMask
        // The counts only grow: a reordered older report is ignored.
        if let slack = message.slack, slack.samples >= view.slackOfOurInputs?.samples ?? 0 { view.slackOfOurInputs = slack }
        if let ack = message.checkpointAck { view.checkpointAck = max(view.checkpointAck ?? 0, ack) }
        if let ack = message.attestationAck { view.attestationAck = max(view.attestationAck ?? 0, ack) }
        if let attestation = message.attestation {
            view.attestationAckToSend = attestation.tick
            if attestation.tick > view.attestationHeard ?? 0 {
                view.attestationHeard = attestation.tick
                actions.append(.attested(slot: slot, tick: attestation.tick, signature: attestation.signature))
            }
        }
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
            if isStaleLoss(of: index, reportedHave: view.have[index]) { continue }
            declareLost(PlayerSlot(index))
        }

        if lostMask & bit(slot) == 0 {
            for (offset, entry) in message.own.enumerated() {
                logs[slot.index].insert(
                    .init(input: entry.input, chat: entry.chat, seat: entry.seat, time: now, measured: true),
                    at: Int(message.ownFirstTick) + offset
                )
            }
        }
        // A peer forwards only players declared lost (ours to hold as well).
        for block in message.forwarded where block.slot != me && block.slot != slot && lostMask & bit(block.slot) != 0 {
            for (offset, entry) in block.entries.enumerated() {
                logs[block.slot.index].insert(
                    .init(input: entry.input, chat: entry.chat, seat: entry.seat, time: now, measured: false),
                    at: Int(block.firstTick) + offset
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
