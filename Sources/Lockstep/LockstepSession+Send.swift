import MeshplayCore

extension LockstepSession {
    /// Checkpoints resent per datagram until acknowledged.
    static let checkpointsPerDatagram = 4

    /// One datagram to every live peer: everything of ours it has not acknowledged
    /// (redundancy hides single losses), plus lost players' commands it lacks.
    mutating func appendDatagrams(into actions: inout [LockstepAction]) {
        guard halted != .droppedByOthers else { return }
        let have = logs.map { UInt32(clamping: $0.contiguousEnd) }
        for peer in livePeers {
            let view = peers[peer.index]
            // Fixed part, worst case: header, have vector, slack, ack, counts, checkpoints, trailer.
            let fixed = 48 + 5 * playerCount + Self.checkpointsPerDatagram * 13
            var budget = configuration.maxDatagramBytes - fixed
            var blocks: [LockstepMessage.InputBlock] = []
            var sources = [me.index]
            for index in 0..<playerCount where index != me.index && index != peer.index && lostMask & (1 << UInt32(index)) != 0 {
                sources.append(index)
            }
            for index in sources {
                guard let block = block(of: index, from: view.have[index], budget: &budget) else { continue }
                blocks.append(block)
            }
            let message = LockstepMessage(
                have: have,
                lostMask: lostMask,
                slack: view.slackOfTheirInputs.report,
                checkpointAck: checkpoints.highestReceived[peer.index],
                blocks: blocks,
                checkpoints: checkpoints.own(after: view.checkpointAck, limit: Self.checkpointsPerDatagram)
            )
            let bytes = message.encoded()
            stats.datagramsSent += 1
            stats.bytesSent += bytes.count
            stats.largestDatagram = max(stats.largestDatagram, bytes.count)
            actions.append(.send(to: peer, bytes: bytes))
        }
    }

    /// The commands of slot `index` from `first` on that fit the redundancy window and budget.
    func block(of index: Int, from first: Int, budget: inout Int) -> LockstepMessage.InputBlock? {
        let log = logs[index]
        let start = max(first, log.base)
        let end = min(log.contiguousEnd, start + configuration.maxRedundantInputs)
        guard start < end, budget > 8 else { return nil }
        budget -= 8
        var entries: [LockstepMessage.Entry] = []
        for tick in start..<end {
            guard let held = log.entry(at: tick) else { break }
            let entry = LockstepMessage.Entry(input: held.input, chat: held.chat)
            let cost = LockstepMessage.worstCaseSize(of: entry)
            guard cost <= budget else { break }
            budget -= cost
            entries.append(entry)
        }
        guard !entries.isEmpty else { return nil }
        return LockstepMessage.InputBlock(slot: PlayerSlot(index), firstTick: UInt32(clamping: start), entries: entries)
    }
}
