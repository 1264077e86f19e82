import DequeModule

/// The sending half of a link's reliable-ordered stream.
///
/// Messages wait whole in a queue and are cut into fragments only when a packet
/// is being filled, so small messages pack many to a datagram and large ones fill
/// each datagram. Every fragment gets the next number of the link's reliable
/// sequence and stays (as a slice of the caller's array, no copy) until the
/// receiver acknowledges the packet that carried it. A packet declared lost puts
/// its unacknowledged fragments on the retransmit queue; they go out first.
/// At most ``ReliableWindow/fragments`` fragments are outstanding.
@usableFromInline
struct ReliableSender: Sendable {
    struct Fragment: Sendable {
        var sequence: UInt64
        var channel: UInt8
        var first: Bool
        var last: Bool
        var payload: ArraySlice<UInt8>
        var acked = false
        /// The packet that carried it most recently.
        var packet: UInt64 = 0
    }

    @usableFromInline
    struct Queued: Sendable {
        @usableFromInline var channel: UInt8
        @usableFromInline var bytes: [UInt8]
        @usableFromInline var offset: Int

        @inlinable
        init(channel: UInt8, bytes: [UInt8], offset: Int) {
            self.channel = channel
            self.bytes = bytes
            self.offset = offset
        }
    }

    @usableFromInline var queue = Deque<Queued>()
    private(set) var unacked = Deque<Fragment>()
    private var retransmit = Deque<UInt64>()
    private(set) var nextSequence: UInt64 = 1
    /// Bytes queued or unacknowledged: what counts against the send bound.
    @usableFromInline var bufferedBytes = 0
    private(set) var retransmissions: UInt64 = 0
    /// Payload bytes sent and not yet acknowledged.
    private(set) var inFlightBytes = 0
    /// New fragments wait while ``inFlightBytes`` is at least this (a sender-side policy).
    var maxInFlightBytes = Int.max

    /// The oldest unacknowledged fragment's number (``nextSequence`` when none is): `unacked`
    /// holds consecutive numbers up to ``nextSequence``, so no fragment is read (a read through
    /// the deque copies the whole fragment, retaining its payload).
    var baseSequence: UInt64 { nextSequence - UInt64(unacked.count) }

    /// Whether a packet would carry something from this stream now.
    var hasPending: Bool {
        !retransmit.isEmpty
            || (!queue.isEmpty && nextSequence < baseSequence + ReliableWindow.fragments && inFlightBytes < maxInFlightBytes)
    }

    @inlinable
    mutating func enqueue(channel: UInt8, bytes: [UInt8]) {
        queue.append(Queued(channel: channel, bytes: bytes, offset: 0))
        bufferedBytes += bytes.count
    }

    private func index(of sequence: UInt64) -> Int? {
        let base = baseSequence
        guard sequence >= base, sequence < nextSequence else { return nil }
        return Int(sequence - base)
    }

    /// The receiver has fragment `sequence`.
    mutating func acknowledge(_ sequence: UInt64) {
        guard let index = index(of: sequence), let length = Self.markAcked(&unacked[index]) else { return }
        bufferedBytes -= length
        inFlightBytes -= length
        guard index == 0 else { return }
        // Drop the acknowledged prefix in one call: one by one, each removal returns a copy.
        var prefix = 1
        while prefix < unacked.count, Self.isAcked(&unacked[prefix]) { prefix += 1 }
        unacked.removeFirst(prefix)
    }

    // Fragments are looked at in place (inout): a read through the deque's getter copies the
    // fragment and retains and releases its payload, once per field read, for every fragment acked.

    /// Marks `fragment` acknowledged; its payload length, or nil when it already was.
    private static func markAcked(_ fragment: inout Fragment) -> Int? {
        guard !fragment.acked else { return nil }
        fragment.acked = true
        return fragment.payload.count
    }

    private static func isAcked(_ fragment: inout Fragment) -> Bool { fragment.acked }

    /// The packet `packet` that carried fragment `sequence` was lost.
    mutating func lost(_ sequence: UInt64, packet: UInt64) {
        guard let index = index(of: sequence), !unacked[index].acked, unacked[index].packet == packet else { return }
        retransmit.append(sequence)
    }

    /// Writes retransmissions, then new fragments, into `encoder` while they fit;
    /// appends the fragment numbers written to `carried`.
    mutating func fill(_ encoder: inout FrameEncoder, packet: UInt64, carried: inout [UInt64]) {
        while let sequence = retransmit.first {
            guard let index = index(of: sequence), !unacked[index].acked else {
                retransmit.removeFirst()
                continue
            }
            let fragment = unacked[index]
            guard FrameEncoder.reliableSize(sequence: sequence, payloadCount: fragment.payload.count) <= encoder.room else { return }
            encoder.reliable(channel: fragment.channel, sequence: sequence, first: fragment.first, last: fragment.last, payload: fragment.payload)
            unacked[index].packet = packet
            carried.append(sequence)
            retransmit.removeFirst()
            retransmissions += 1
        }
        while !queue.isEmpty, nextSequence < baseSequence + ReliableWindow.fragments, inFlightBytes < maxInFlightBytes {
            let channel = queue[0].channel
            let offset = queue[0].offset
            let total = queue[0].bytes.count
            let remaining = total - offset
            var length = min(remaining, Frame.maxFramePayload)
            if FrameEncoder.reliableSize(sequence: nextSequence, payloadCount: length) > encoder.room {
                // Split a long message to fill the packet; keep short ones whole.
                let room = encoder.room - FrameEncoder.reliableSize(sequence: nextSequence, payloadCount: 0) - 1
                guard remaining > Frame.maxFramePayload, room >= 128 else { return }
                length = room
            }
            let payload = queue[0].bytes[offset ..< offset + length]
            let fragment = Fragment(
                sequence: nextSequence, channel: channel, first: offset == 0, last: offset + length == total,
                payload: payload, packet: packet)
            encoder.reliable(channel: channel, sequence: nextSequence, first: fragment.first, last: fragment.last, payload: payload)
            unacked.append(fragment)
            inFlightBytes += length
            carried.append(nextSequence)
            nextSequence += 1
            if fragment.last {
                queue.removeFirst()
            } else {
                queue[0].offset += length
            }
        }
    }
}
