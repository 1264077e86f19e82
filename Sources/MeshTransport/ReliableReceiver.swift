/// The receiving half of a link's reliable-ordered stream.
///
/// Fragments are numbered; the next expected one is delivered at once (a whole
/// small message is handed up with no buffering), later ones wait in a ring of
/// ``ReliableWindow/fragments`` slots, earlier ones are duplicates and ignored.
/// Memory is bounded: at most the ring (2048 fragments of at most 1170 bytes)
/// plus one message being reassembled (at most 64 KiB). A peer that sends past
/// the window, breaks message boundaries, or assembles a message over 64 KiB is
/// violating the protocol, and the link is dropped.
package struct ReliableReceiver: Sendable {
    struct Slot: Sendable {
        var channel: UInt8
        var first: Bool
        var last: Bool
        var payload: [UInt8]
    }

    package struct Violation: Error {}

    package init() {}

    private(set) var nextExpected: UInt64 = 1
    /// Allocated on the first out-of-order fragment (in-order links never need it).
    private var ring: [Slot?] = []
    private var buffered = 0
    private var assembling: [UInt8] = []
    private var assemblingChannel: UInt8 = 0
    private var isAssembling = false

    /// Payload bytes of the out-of-order fragments waiting in the ring.
    package private(set) var bufferedBytes = 0

    /// Takes one fragment; calls `deliver` for every message it completes, in order.
    package mutating func receive(
        channel: UInt8, sequence: UInt64, first: Bool, last: Bool, payload: [UInt8],
        deliver: (UInt8, [UInt8]) -> Void
    ) throws(Violation) {
        // Far more than a ring holds, and room to give bytes back without overflowing.
        var unlimited = Int.max / 2
        _ = try receive(channel: channel, sequence: sequence, first: first, last: last, payload: payload, budget: &unlimited, deliver: deliver)
    }

    /// Takes one fragment, holding an out-of-order one only if `budget` (bytes left in the
    /// endpoint's shared reassembly budget) covers it: returns false when it was not kept, so
    /// the caller must not acknowledge its packet (the sender resends it later). Bytes
    /// taken from or given back to the budget are counted in ``bufferedBytes``.
    package mutating func receive(
        channel: UInt8, sequence: UInt64, first: Bool, last: Bool, payload: [UInt8], budget: inout Int,
        deliver: (UInt8, [UInt8]) -> Void
    ) throws(Violation) -> Bool {
        if sequence < nextExpected { return true }
        guard sequence - nextExpected < ReliableWindow.fragments else { throw Violation() }
        if sequence > nextExpected {
            let slot = Int(sequence % ReliableWindow.fragments)
            if !ring.isEmpty, ring[slot] != nil { return true }
            guard payload.count <= budget else { return false }
            if ring.isEmpty { ring = Array(repeating: nil, count: Int(ReliableWindow.fragments)) }
            ring[slot] = Slot(channel: channel, first: first, last: last, payload: payload)
            buffered += 1
            bufferedBytes += payload.count
            budget -= payload.count
            return true
        }
        try take(channel: channel, first: first, last: last, payload: payload, deliver: deliver)
        while buffered > 0 {
            let slot = Int(nextExpected % ReliableWindow.fragments)
            guard let next = ring[slot] else { break }
            ring[slot] = nil
            buffered -= 1
            bufferedBytes -= next.payload.count
            budget += next.payload.count
            try take(channel: next.channel, first: next.first, last: next.last, payload: next.payload, deliver: deliver)
        }
        return true
    }

    private mutating func take(
        channel: UInt8, first: Bool, last: Bool, payload: [UInt8], deliver: (UInt8, [UInt8]) -> Void
    ) throws(Violation) {
        nextExpected += 1
        if first {
            guard !isAssembling else { throw Violation() }
            if last {
                deliver(channel, payload)
            } else {
                isAssembling = true
                assemblingChannel = channel
                assembling = payload
            }
            return
        }
        guard isAssembling, channel == assemblingChannel,
              assembling.count + payload.count <= ReliableWindow.maxMessageSize
        else { throw Violation() }
        assembling.append(contentsOf: payload)
        if last {
            deliver(channel, assembling)
            assembling = []
            isAssembling = false
        }
    }
}
