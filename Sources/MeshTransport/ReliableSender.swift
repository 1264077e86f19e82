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
    /// A fragment's number is not kept: it is ``baseSequence`` plus its place in ``unacked``.
    struct Fragment: Sendable {
        var channel: UInt8
        var first: Bool
        var last: Bool
        var payload: ArraySlice<UInt8>
    }

    /// What acknowledgements and losses look at, beside each fragment: plain values, so reading
    /// and writing them never copies a fragment or touches its payload's reference count.
    struct FragmentState: Sendable {
        var length: Int
        var acked = false
        /// The packet that carried it most recently.
        var packet: UInt64
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
    /// One per fragment in ``unacked``, in the same order.
    private var states = Deque<FragmentState>()
    /// Acknowledged fragments at the front of ``unacked`` not yet dropped (``dropAcknowledged()``).
    private var ackedAtFront = false
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

    /// The receiver has fragment `sequence`. Call ``dropAcknowledged()`` after a batch of these.
    mutating func acknowledge(_ sequence: UInt64) {
        guard let index = index(of: sequence), !states[index].acked else { return }
        states[index].acked = true
        let length = states[index].length
        bufferedBytes -= length
        inFlightBytes -= length
        if index == 0 { ackedAtFront = true }
    }

    /// Frees the acknowledged fragments at the front, all in one removal.
    mutating func dropAcknowledged() {
        guard ackedAtFront else { return }
        ackedAtFront = false
        var prefix = 0
        while prefix < states.count, states[prefix].acked { prefix += 1 }
        unacked.removeFirst(prefix)
        states.removeFirst(prefix)
    }

    /// The packet `packet` that carried fragment `sequence` was lost.
    mutating func lost(_ sequence: UInt64, packet: UInt64) {
        guard let index = index(of: sequence), !states[index].acked, states[index].packet == packet else { return }
        retransmit.append(sequence)
    }

    /// Writes retransmissions, then new fragments, into `encoder` while they fit;
    /// appends the fragment numbers written to `carried`.
    mutating func fill(_ encoder: inout FrameEncoder, packet: UInt64, carried: inout [UInt64]) {
        while let sequence = retransmit.first {
            guard let index = index(of: sequence), !states[index].acked else {
                retransmit.removeFirst()
                continue
            }
            let fragment = unacked[index]
            guard FrameEncoder.reliableSize(sequence: sequence, payloadCount: fragment.payload.count) <= encoder.room else { return }
            encoder.reliable(channel: fragment.channel, sequence: sequence, first: fragment.first, last: fragment.last, payload: fragment.payload)
            states[index].packet = packet
            carried.append(sequence)
            retransmit.removeFirst()
            retransmissions += 1
        }
        while !queue.isEmpty, nextSequence < baseSequence + ReliableWindow.fragments, inFlightBytes < maxInFlightBytes {
            // One read of the head: each read through the deque copies the element (and retains its bytes).
            let head = queue[0]
            let channel = head.channel
            let offset = head.offset
            let total = head.bytes.count
            let remaining = total - offset
            var length = min(remaining, Frame.maxFramePayload)
            if FrameEncoder.reliableSize(sequence: nextSequence, payloadCount: length) > encoder.room {
                // Split a long message to fill the packet; keep short ones whole.
                let room = encoder.room - FrameEncoder.reliableSize(sequence: nextSequence, payloadCount: 0) - 1
                guard remaining > Frame.maxFramePayload, room >= 128 else { return }
                length = room
            }
            let payload = head.bytes[offset ..< offset + length]
            let fragment = Fragment(channel: channel, first: offset == 0, last: offset + length == total, payload: payload)
            encoder.reliable(channel: channel, sequence: nextSequence, first: fragment.first, last: fragment.last, payload: payload)
            unacked.append(fragment)
            states.append(FragmentState(length: length, packet: packet))
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
