import MeshplayCore

extension LockstepSession {
    /// Checkpoints resent per datagram until acknowledged.
    static let checkpointsPerDatagram = 4
    /// The full `have` vector rides every this many datagrams to a peer (and every
    /// datagram while anyone is declared lost); it only serves trimming otherwise
    /// (about once a second at 30 Hz with a resend between ticks).
    static let haveInterval = 64
    /// A slack report rides one datagram every this many ticks of our stream (only when
    /// delays adapt): about twice a second at 30 Hz, some 25 bytes a second a link. Counted
    /// in ticks, not datagrams, so the delay follows the network as fast on any send schedule.
    static let slackTicks = 16
    /// Unacknowledged checkpoints ride every this many datagrams (about every 100 ms, a round
    /// trip, at 30 Hz with a resend between ticks: two or three copies before the ack is back).
    static let checkpointInterval = 6
    /// An unchanged ack is repeated every this many datagrams; a changed one always goes.
    static let ackInterval = 4
    /// A changed checkpoint ack rides this many datagrams in a row, then every `haveInterval / 2`.
    static let checkpointAckRepeats = 2

    /// Datagrams between copies of an unacknowledged attestation: about a second (two a tick),
    /// longer than a round trip, so a copy goes again only when the first or its ack was lost.
    var attestationResendDatagrams: Int { 2 * configuration.tickRate }

    /// Signs the game up to `tick` for the peers: `signature` rides to each until it acks it.
    /// A newer attestation replaces an unacknowledged older one.
    public mutating func attest(tick: UInt32, signature: [UInt8]) {
        ownAttestation = LockstepMessage.Attestation(tick: tick, signature: signature)
        for index in peers.indices { peers[index].attestationSentAt = nil }
    }

    /// One datagram to every live peer: everything of ours it has not acknowledged
    /// (redundancy hides single losses), plus lost players' commands it lacks, and the
    /// rarer parts (have vector, slack, checkpoints and their acks) at their own pace.
    mutating func appendDatagrams(into actions: inout [LockstepAction]) {
        guard halted != .droppedByOthers else { return }
        let myEnd = logs[me.index].contiguousEnd
        for peer in livePeers {
            var view = peers[peer.index]
            let count = view.datagramsSent
            view.datagramsSent += 1
            // Fixed part, worst case: flags, ack, have vector, slack, acks, counts, checkpoints, trailer.
            let fixed = 48 + 5 * playerCount + 5 * SlackReport.levels.count + Self.checkpointsPerDatagram * 13
            var budget = configuration.maxDatagramBytes - fixed
            var message = LockstepMessage()
            let ackValue = logs[peer.index].contiguousEnd
            if ackValue != view.lastAckSent || count % Self.ackInterval == 0 {
                message.ack = UInt32(clamping: ackValue)
                view.lastAckSent = ackValue
            }
            if let own = block(of: me.index, from: view.have[me.index], budget: &budget) {
                message.ownFirstTick = own.firstTick
                message.own = own.entries
                // The peer holds our stream up to somewhere in its latest ack ..< our end.
                message.compactBase = myEnd - view.have[me.index] < 256
            }
            for index in 0..<playerCount where index != me.index && index != peer.index && lostMask & (1 << UInt32(index)) != 0 {
                guard let block = block(of: index, from: view.have[index], budget: &budget) else { continue }
                message.forwarded.append(block)
            }
            if lostMask != 0 || count % Self.haveInterval == 0 {
                message.have = logs.map { UInt32(clamping: $0.contiguousEnd) }
                message.lostMask = lostMask
            }
            if configuration.adaptsInputDelay, myEnd >= view.nextSlackTick, view.slackOfTheirInputs.report.samples > 0 {
                message.slack = view.slackOfTheirInputs.report
                view.nextSlackTick = myEnd + Self.slackTicks
            }
            if let ack = checkpoints.highestReceived[peer.index] {
                if ack != view.lastCheckpointAckSent {
                    view.lastCheckpointAckSent = ack
                    view.checkpointAckRepeats = Self.checkpointAckRepeats
                }
                if view.checkpointAckRepeats > 0 || count % (Self.haveInterval / 2) == 0 {
                    message.checkpointAck = ack
                    view.checkpointAckRepeats = max(0, view.checkpointAckRepeats - 1)
                }
            }
            if count % Self.checkpointInterval == 0 {
                message.checkpoints = checkpoints.own(after: view.checkpointAck, limit: Self.checkpointsPerDatagram)
            }
            if let own = ownAttestation, view.attestationAck ?? 0 < own.tick,
               view.attestationSentAt.map({ count - $0 >= attestationResendDatagrams }) ?? true {
                message.attestation = own
                view.attestationSentAt = count
            }
            message.attestationAck = view.attestationAckToSend
            view.attestationAckToSend = nil
            peers[peer.index] = view
            let bytes = message.encoded(checked: configuration.checksDatagrams)
            if message.attestation != nil || message.attestationAck != nil {
                var bare = message
                bare.attestation = nil
                bare.attestationAck = nil
                stats.attestationBytesSent += bytes.count - bare.encoded(checked: configuration.checksDatagrams).count
            }
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
            let entry = LockstepMessage.Entry(input: held.input, chat: held.chat, seat: held.seat)
            let cost = LockstepMessage.worstCaseSize(of: entry)
            guard cost <= budget else { break }
            budget -= cost
            entries.append(entry)
        }
        guard !entries.isEmpty else { return nil }
        return LockstepMessage.InputBlock(slot: PlayerSlot(index), firstTick: UInt32(clamping: start), entries: entries)
    }
}
