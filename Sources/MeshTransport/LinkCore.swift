@preconcurrency import Crypto
import DequeModule
import MeshplayCore

/// One authenticated link to one peer: sealing, replay protection, packet
/// acknowledgements, the reliable and unreliable channels, RTT, loss and liveness.
///
/// A value type with no I/O: ``MeshEndpoint`` feeds it datagrams and ticks and
/// collects the datagrams it wants sent.
@usableFromInline
struct LinkCore<Address: LinkAddress>: Sendable {
    struct SentPacket: Sendable {
        var sequence: UInt64
        var sentAt: Timestamp
        var ackEliciting: Bool
        var resolved = false
        var fragments: [UInt64]
        /// Only unreliable frames under lazy acks: its ack may take `2 × lazyAckDelay` longer.
        var lazilyAcked = false
    }

    enum ReceiveOutcome: Equatable {
        case rejected
        case accepted
        case lost(LinkLossReason)
    }

    @usableFromInline let peer: PeerID
    var address: Address
    let localSession: UInt32
    let remoteSession: UInt32
    let sendSealer: PacketSealer
    let receiveSealer: PacketSealer
    /// The initiator's ephemeral key: a replayed initiation with it is answered from ``cachedResponse``.
    let initiatorEphemeral: [UInt8]
    /// Whether this side started the handshake, and when the link came up (crossed connects are settled with them).
    let isInitiator: Bool
    let establishedAt: Timestamp
    /// The response datagram this node sent as responder, resent if the initiation repeats.
    var cachedResponse: [UInt8]?
    /// The peer's signing key, as its handshake proved it.
    var peerKey: Curve25519.Signing.PublicKey?
    let configuration: LinkConfiguration

    private var nextPacket: UInt64 = 1
    private var replay = ReplayWindow()
    private(set) var rtt: RTTEstimator
    private var backoff: Int64 = 1
    @usableFromInline var sender = ReliableSender()
    private(set) var receiver = ReliableReceiver()
    private var unreliable = Deque<(UInt8, [UInt8])>()

    private var largestReceived: UInt64 = 0
    private var receivedBits: UInt32 = 0
    private var unackedEliciting = 0
    /// The oldest packet received since we last sent an ack block (0: none).
    private var firstUnacknowledged: UInt64 = 0
    private var ackDeadline: Timestamp?
    /// Lazily (`LinkConfiguration.lazyUnreliableAcks`), when a due ack stops waiting for a packet to ride and goes alone.
    private var ackAloneAt: Timestamp?

    private var sent = Deque<SentPacket>()
    private var largestAckedByPeer: UInt64 = 0

    private var lastReceiveAt: Timestamp
    private var lastSendAt: Timestamp
    private var pingPending = false
    var closePending = false

    private var lossRate = 0.0
    private var bytesSent: UInt64 = 0
    private var bytesReceived: UInt64 = 0
    private var packetsSent: UInt64 = 0
    private var packetsReceived: UInt64 = 0

    init(peer: PeerID, address: Address, localSession: UInt32, remoteSession: UInt32,
         sendKey: SymmetricKey, receiveKey: SymmetricKey, initiatorEphemeral: [UInt8], isInitiator: Bool,
         configuration: LinkConfiguration, now: Timestamp) {
        self.peer = peer
        self.address = address
        self.localSession = localSession
        self.remoteSession = remoteSession
        self.sendSealer = PacketSealer(key: sendKey, domain: PacketSealer.dataDomain)
        self.receiveSealer = PacketSealer(key: receiveKey, domain: PacketSealer.dataDomain)
        self.initiatorEphemeral = initiatorEphemeral
        self.isInitiator = isInitiator
        self.establishedAt = now
        self.configuration = configuration
        self.rtt = RTTEstimator(
            initialTimeout: configuration.initialRetransmitTimeout, minimumTimeout: configuration.minimumRetransmitTimeout,
            maximumTimeout: configuration.maximumRetransmitTimeout, ackDelay: configuration.maxAckDelay)
        self.lastReceiveAt = now
        self.lastSendAt = now
        self.sender.maxInFlightBytes = configuration.maxBytesInFlight
    }

    var stats: LinkStats {
        LinkStats(
            smoothedRTT: rtt.smoothed, rttVariance: rtt.variance, lossRate: lossRate,
            bytesSent: bytesSent, bytesReceived: bytesReceived, packetsSent: packetsSent,
            packetsReceived: packetsReceived, retransmissions: sender.retransmissions, bufferedBytes: sender.bufferedBytes)
    }

    var unreliableCount: Int { unreliable.count }

    /// Takes a round trip measured before the link existed (the handshake's) as the first sample.
    mutating func seedRoundTrip(_ sample: TimeSpan) {
        guard rtt.smoothed == nil else { return }
        rtt.add(sample: sample)
    }

    @inlinable
    mutating func enqueueReliable(channel: UInt8, bytes: [UInt8]) {
        sender.enqueue(channel: channel, bytes: bytes)
    }

    mutating func enqueueUnreliable(channel: UInt8, bytes: [UInt8]) {
        unreliable.append((channel, bytes))
    }

    // MARK: Receiving

    /// Handles a data datagram addressed to this link's session.
    /// The replay window is consulted before the packet is even decrypted.
    ///
    /// `budget`: bytes left in the endpoint's shared budget for out-of-order fragments. A packet
    /// with a fragment the budget cannot hold is processed but not acknowledged, so the
    /// sender resends what was not kept.
    mutating func receive(
        _ datagram: [UInt8], header: PacketHeader, budget: inout Int, at now: Timestamp, into output: inout EndpointOutput<Address>
    ) -> ReceiveOutcome {
        var header = header
        header.sequence = header.packetNumber(expected: replay.newest + 1)
        guard replay.isFresh(header.sequence) else { return .rejected }
        guard let plaintext = receiveSealer.open(datagram, header: header) else { return .rejected }
        replay.record(header.sequence)
        lastReceiveAt = now
        bytesReceived += UInt64(datagram.count)
        packetsReceived += 1

        var eliciting = false
        var prompt = false
        var keptEverything = true
        do {
            var decoder = try FrameDecoder(plaintext: plaintext)
            if let ack = decoder.ack { process(ack, at: now) }
            while let frame = try decoder.next() {
                eliciting = true
                if case .unreliable = frame {} else { prompt = true }
                switch frame {
                case .unreliable(let channel, let payload):
                    output.events.append(.message(peer: peer, channel: channel, bytes: payload, reliable: false))
                case .reliable(let channel, let sequence, let first, let last, let payload):
                    let peer = self.peer
                    let kept = try receiver.receive(
                        channel: channel, sequence: sequence, first: first, last: last, payload: payload, budget: &budget
                    ) { channel, bytes in
                        output.events.append(.message(peer: peer, channel: channel, bytes: bytes, reliable: true))
                    }
                    if !kept { keptEverything = false }
                case .ping:
                    break
                case .close:
                    return .lost(.closedByPeer)
                }
            }
        } catch {
            return .lost(.protocolViolation)
        }
        // Unacknowledged, the packet's reliable fragments come again (the kept ones are then duplicates).
        guard keptEverything else { return .accepted }
        if firstUnacknowledged != 0, header.sequence > largestReceived, header.sequence - firstUnacknowledged >= 32 {
            // The bitfield is about to forget a packet we never acknowledged: acknowledge now.
            sendAckOnly(at: now, into: &output)
        }
        noteReceived(header.sequence, eliciting: eliciting, prompt: prompt || !configuration.lazyUnreliableAcks, at: now)
        if firstUnacknowledged == 0 { firstUnacknowledged = header.sequence }
        return .accepted
    }

    /// `prompt`: the packet counts toward the two-packet rule (see `LinkConfiguration.lazyUnreliableAcks`).
    private mutating func noteReceived(_ sequence: UInt64, eliciting: Bool, prompt: Bool, at now: Timestamp) {
        if sequence > largestReceived {
            let shift = sequence - largestReceived
            if largestReceived == 0 || shift > 32 {
                receivedBits = 0
            } else {
                receivedBits = (receivedBits << UInt32(shift)) | (1 << UInt32(shift - 1))
            }
            largestReceived = sequence
        } else if sequence < largestReceived, largestReceived - sequence <= 32 {
            receivedBits |= 1 << UInt32(largestReceived - sequence - 1)
        }
        if eliciting {
            if prompt { unackedEliciting += 1 }
            // Only unreliable frames (lazily): the ack may wait `lazyAckDelay`, and as long again for a packet to ride.
            let delay = prompt ? configuration.maxAckDelay : configuration.lazyAckDelay
            ackDeadline = min(ackDeadline ?? now + delay, now + delay)
            ackAloneAt = min(ackAloneAt ?? now + delay * 2, now + delay * 2)
        }
    }

    private mutating func process(_ ack: AckBlock, at now: Timestamp) {
        guard let firstSequence = sent.first?.sequence, ack.largest < nextPacket else { return }
        let low = max(firstSequence, ack.largest >= 32 ? ack.largest - 32 : 0)
        if ack.largest >= low {
            var sequence = low
            while sequence <= ack.largest {
                let index = Int(sequence - firstSequence)
                if ack.acknowledges(sequence), !sent[index].resolved {
                    sent[index].resolved = true
                    if sent[index].ackEliciting { lossRate += (0 - lossRate) / 32 }
                    for fragment in sent[index].fragments { sender.acknowledge(fragment) }
                    if sequence == ack.largest, ack.largest > largestAckedByPeer {
                        rtt.add(sample: now - sent[index].sentAt)
                    }
                    backoff = 1
                }
                sequence += 1
            }
            sender.dropAcknowledged()
        }
        largestAckedByPeer = max(largestAckedByPeer, ack.largest)
        // Packet-threshold loss: three newer packets acknowledged.
        for index in sent.indices {
            guard sent[index].sequence + 3 <= largestAckedByPeer else { break }
            if !sent[index].resolved { declareLost(at: index) }
        }
        trimResolved()
    }

    private mutating func declareLost(at index: Int) {
        sent[index].resolved = true
        guard sent[index].ackEliciting else { return }
        lossRate += (1 - lossRate) / 32
        let packet = sent[index].sequence
        for fragment in sent[index].fragments { sender.lost(fragment, packet: packet) }
    }

    private mutating func trimResolved() {
        while let first = sent.first, first.resolved { sent.removeFirst() }
    }

    // MARK: Time

    /// Detects timeouts; returns a reason when the link is lost.
    mutating func tick(at now: Timestamp) -> LinkLossReason? {
        if now - lastReceiveAt >= configuration.linkTimeout { return .timeout }
        let timeout = rtt.timeout * backoff
        var timedOut = false
        for index in sent.indices {
            guard now - sent[index].sentAt >= timeout else { break }
            // A lazily acknowledged packet is not late before its ack could have come.
            if sent[index].lazilyAcked, now - sent[index].sentAt < timeout + configuration.lazyAckDelay * 2 { continue }
            if !sent[index].resolved {
                if sent[index].ackEliciting { timedOut = true }
                declareLost(at: index)
            }
        }
        if timedOut { backoff = min(backoff * 2, 16) }
        trimResolved()
        if now - lastSendAt >= configuration.keepaliveInterval { pingPending = true }
        return nil
    }

    // MARK: Sending

    private var ackBlock: AckBlock? {
        largestReceived == 0 ? nil : AckBlock(largest: largestReceived, bitfield: receivedBits)
    }

    /// Packet `number` sealed around `plaintext`, with a short tag when it is small.
    private func seal(_ plaintext: [UInt8], number: UInt64) -> [UInt8] {
        let header = PacketHeader(
            dataTo: remoteSession, number: number, largestAcknowledged: largestAckedByPeer,
            tagBytes: PacketHeader.tagBytes(forPlaintext: plaintext.count))
        return sendSealer.seal(header: header, plaintext: plaintext)
    }

    private mutating func sendAckOnly(at now: Timestamp, into output: inout EndpointOutput<Address>) {
        guard let ack = ackBlock else { return }
        let sequence = nextPacket
        nextPacket += 1
        let encoder = FrameEncoder(ack: ack)
        let datagram = seal(encoder.writer.bytes, number: sequence)
        bytesSent += UInt64(datagram.count)
        packetsSent += 1
        output.datagrams.append(OutgoingDatagram(address: address, bytes: datagram))
        sent.append(SentPacket(sequence: sequence, sentAt: now, ackEliciting: false, fragments: []))
        unackedEliciting = 0
        ackDeadline = nil
        ackAloneAt = nil
        firstUnacknowledged = 0
    }

    /// Packs everything waiting (close, keepalive, unreliable datagrams, retransmissions,
    /// new reliable fragments, a due acknowledgement) into as few packets as it takes.
    mutating func flush(at now: Timestamp, into output: inout EndpointOutput<Address>) {
        while true {
            let ackDue = unackedEliciting >= 2 || (ackDeadline.map { $0 <= now } ?? false)
            let hasFrames = closePending || pingPending || !unreliable.isEmpty || sender.hasPending
            // Lazily, a due ack waits as long again for a packet to ride before going alone.
            let ackAlone = !configuration.lazyUnreliableAcks || unackedEliciting >= 2
                || (ackAloneAt.map { $0 <= now } ?? false)
            guard hasFrames || (ackDue && ackAlone) else { return }
            var encoder = FrameEncoder(ack: configuration.lazyUnreliableAcks && !ackDue ? nil : ackBlock)
            let empty = encoder.count
            let sequence = nextPacket
            let asksPromptly = closePending || pingPending
            if closePending { encoder.close() }
            if pingPending { encoder.ping(); pingPending = false }
            while let (channel, payload) = unreliable.first,
                  FrameEncoder.unreliableSize(payload.count) <= encoder.room {
                // The last frame of a packet needs no length: it runs to the end.
                encoder.unreliable(channel: channel, payload: payload, toEnd: unreliable.count == 1 && !sender.hasPending)
                unreliable.removeFirst()
            }
            var carried: [UInt64] = []
            // One allocation for a packet of small fragments instead of one per doubling.
            if sender.hasPending { carried.reserveCapacity(24) }
            sender.fill(&encoder, packet: sequence, carried: &carried)
            let eliciting = encoder.count > empty
            if !eliciting && !ackDue { return }
            nextPacket += 1
            let datagram = seal(encoder.writer.bytes, number: sequence)
            bytesSent += UInt64(datagram.count)
            packetsSent += 1
            lastSendAt = now
            output.datagrams.append(OutgoingDatagram(address: address, bytes: datagram))
            sent.append(SentPacket(
                sequence: sequence, sentAt: now, ackEliciting: eliciting, fragments: carried,
                lazilyAcked: configuration.lazyUnreliableAcks && eliciting && !asksPromptly && carried.isEmpty))
            if sent.count > 8192 {
                declareLost(at: 0)
                trimResolved()
            }
            if encoder.hasAck {
                unackedEliciting = 0
                ackDeadline = nil
                ackAloneAt = nil
                firstUnacknowledged = 0
            }
            if closePending || !eliciting { return }
        }
    }
}
