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

    /// Takes one fragment; calls `deliver` for every message it completes, in order.
    package mutating func receive(
        channel: UInt8, sequence: UInt64, first: Bool, last: Bool, payload: [UInt8],
        deliver: (UInt8, [UInt8]) -> Void
    ) throws(Violation) {
        if sequence < nextExpected { return }
        guard sequence - nextExpected < ReliableWindow.fragments else { throw Violation() }
        if sequence > nextExpected {
            if ring.isEmpty { ring = Array(repeating: nil, count: Int(ReliableWindow.fragments)) }
            let slot = Int(sequence % ReliableWindow.fragments)
            if ring[slot] == nil {
                ring[slot] = Slot(channel: channel, first: first, last: last, payload: payload)
                buffered += 1
            }
            return
        }
        try take(channel: channel, first: first, last: last, payload: payload, deliver: deliver)
        while buffered > 0 {
            let slot = Int(nextExpected % ReliableWindow.fragments)
            guard let next = ring[slot] else { break }
            ring[slot] = nil
            buffered -= 1
            try take(channel: next.channel, first: next.first, last: next.last, payload: next.payload, deliver: deliver)
        }
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
