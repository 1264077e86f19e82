import MeshplayCore

/// Tunables of a link endpoint. The defaults suit game traffic on the Internet.
public struct LinkConfiguration: Sendable {
    /// A link with no authenticated packet for this long is declared lost (default 5 s).
    public var linkTimeout: TimeSpan = .seconds(5)
    /// After this long without sending anything the link sends a keepalive (default 1 s).
    public var keepaliveInterval: TimeSpan = .seconds(1)
    /// How long a received packet may wait for its acknowledgement (default 5 ms).
    /// A second unacknowledged packet, or any outgoing traffic, acknowledges at once.
    public var maxAckDelay: TimeSpan = .milliseconds(5)
    /// Lazy acknowledgement of unreliable traffic (default off). When on, a packet that
    /// carries only unreliable datagrams asks for no prompt acknowledgement: it only starts
    /// the ``lazyAckDelay`` timer (the two-packet rule counts reliable fragments, pings and
    /// closes), and an ack block rides a packet only when an acknowledgement is due, not
    /// on every one. For links that stream small unreliable datagrams (lockstep), where
    /// a 7-byte ack block on every packet is a sixth of the traffic, and prompt acks
    /// would add an ack-only packet for most of them (a peer's own packets seldom leave
    /// within `maxAckDelay` of an arrival); round trips are
    /// still measured, about once per ``lazyAckDelay``.
    public var lazyUnreliableAcks = false
    /// With ``lazyUnreliableAcks``, how long a packet carrying only unreliable datagrams may
    /// wait for its acknowledgement (default 250 ms: about four ack blocks a second on a
    /// lockstep link), and as long again for an outgoing packet to ride before the ack goes
    /// alone. Reliable fragments, pings and closes keep ``maxAckDelay``.
    public var lazyAckDelay: TimeSpan = .milliseconds(250)
    /// Retransmission timeout before the first RTT sample (default 1 s).
    public var initialRetransmitTimeout: TimeSpan = .seconds(1)
    /// Lower bound of the retransmission timeout (default 20 ms).
    public var minimumRetransmitTimeout: TimeSpan = .milliseconds(20)
    /// Upper bound of the retransmission timeout (default 3 s).
    public var maximumRetransmitTimeout: TimeSpan = .seconds(3)
    /// Handshake packets are resent this often until answered (default 250 ms).
    public var handshakeRetryInterval: TimeSpan = .milliseconds(250)
    /// A `connect` that has not completed after this long fails (default 5 s).
    public var connectTimeout: TimeSpan = .seconds(5)
    /// Reliable bytes a link holds for one peer, queued plus sent-but-unacknowledged
    /// (default 4 MiB). At the bound `sendReliable` returns ``SendResult/queueFull``
    /// and queues nothing: the caller must wait (back-pressure) or drop.
    public var maxSendBufferBytes: Int = 4 << 20
    /// Reliable payload bytes sent but not yet acknowledged, at most (default 1 MiB). Keeps a fast
    /// sender from overrunning the receiver's socket buffer; the protocol's fragment window still applies.
    public var maxBytesInFlight: Int = 1 << 20
    /// Unreliable datagrams waiting for the next flush (default 1024). At the bound
    /// `sendUnreliable` returns ``SendResult/queueFull``.
    public var maxUnreliableQueue: Int = 1024
    /// Width of a handshake cookie's time bucket; a cookie is valid in its bucket and the next (default 10 s).
    public var cookieBucket: TimeSpan = .seconds(10)
    /// Out-of-order reliable fragment bytes held over all links together (default 32 MiB):
    /// one budget per endpoint, not a full ring per link. A fragment past it is not kept and
    /// its packet not acknowledged, so the sender resends it once the budget has room again.
    public var maxReassemblyBytes: Int = 32 << 20
    /// Links this endpoint holds at most (default 512). At the cap a new peer's handshake
    /// initiation closes one unprotected link (``MeshEndpoint/protect(_:)``) it did not open
    /// itself: from the source host holding the most links, the oldest of them. So a flood of
    /// strangers cannot keep a real newcomer out. With every link protected the initiation gets
    /// no answer. Links we open ourselves, and a known peer's new handshake replacing its link,
    /// are not refused.
    public var maxLinks: Int = 512
    /// Links from one source host at most (default 64, enough for a 32-player room of bots
    /// on one machine): one address cannot take every place.
    public var maxLinksPerHost: Int = 64

    /// The defaults.
    public init() {}
}

/// What happened to a send.
public enum SendResult: Equatable, Sendable {
    /// Accepted; it goes out at the next flush.
    case queued
    /// The per-link bound is reached; nothing was queued. Retry after traffic drains.
    case queueFull
    /// Longer than the channel allows (64 KiB reliable, 1100 bytes unreliable).
    case tooLarge
    /// No link to that peer.
    case unknownPeer
}

/// Why a link ended.
public enum LinkLossReason: Equatable, Sendable {
    /// Nothing authenticated arrived within the link timeout.
    case timeout
    /// The peer closed the link.
    case closedByPeer
    /// We closed the link.
    case closedLocally
    /// The peer broke the protocol (for example a reassembly over the limits) and was dropped.
    case protocolViolation
    /// A new handshake with the same peer replaced this link.
    case replaced
}

/// Per-link measurements.
public struct LinkStats: Sendable, Equatable {
    /// Smoothed round-trip time; nil before the first sample.
    public var smoothedRTT: TimeSpan?
    /// Round-trip variance.
    public var rttVariance: TimeSpan
    /// Fraction of ack-eliciting packets declared lost, exponentially smoothed (weight 1/32).
    public var lossRate: Double
    /// Datagram bytes sent on this link (headers and tags included).
    public var bytesSent: UInt64
    /// Datagram bytes accepted on this link (headers and tags included).
    public var bytesReceived: UInt64
    /// Datagrams sent.
    public var packetsSent: UInt64
    /// Datagrams accepted (authenticated and fresh).
    public var packetsReceived: UInt64
    /// Reliable fragments sent again after a loss.
    public var retransmissions: UInt64
    /// Reliable bytes queued or unacknowledged (what counts against the send bound).
    public var bufferedBytes: Int
}

/// What an endpoint reports to the layer above.
public enum LinkEvent<Address: LinkAddress>: Sendable {
    /// A link to `peer` at `address` is authenticated and ready.
    case linkUp(peer: PeerID, address: Address)
    /// The link to `peer` is gone; its queued messages are dropped.
    case linkLost(peer: PeerID, reason: LinkLossReason)
    /// A message from `peer` on `channel`: reliable ones arrive exactly once and in
    /// order, unreliable ones at most once in any order.
    case message(peer: PeerID, channel: UInt8, bytes: [UInt8], reliable: Bool)
    /// `connect(to:)` got no authenticated answer within the connect timeout.
    case connectFailed(address: Address)
}

/// A datagram for the shell to send.
public struct OutgoingDatagram<Address: LinkAddress>: Sendable {
    /// Where to send it.
    public var address: Address
    /// The whole sealed datagram.
    public var bytes: [UInt8]

    /// `bytes` for `address`.
    public init(address: Address, bytes: [UInt8]) {
        self.address = address
        self.bytes = bytes
    }
}

/// The actions-out parameter of an endpoint: datagrams to send and events to report.
/// The shell carries them out and calls ``removeAll()`` (which keeps capacity).
public struct EndpointOutput<Address: LinkAddress>: Sendable {
    /// Datagrams to send, in order.
    public var datagrams: [OutgoingDatagram<Address>] = []
    /// Events to report, in order.
    public var events: [LinkEvent<Address>] = []

    /// An empty output.
    public init() {}

    /// Empties both lists, keeping their storage for reuse.
    @inlinable
    public mutating func removeAll() {
        datagrams.removeAll(keepingCapacity: true)
        events.removeAll(keepingCapacity: true)
    }
}

/// Counters over everything an endpoint received.
public struct EndpointCounters: Sendable, Equatable {
    /// Datagrams that authenticated (handshake or data).
    public var accepted: UInt64 = 0
    /// Datagrams refused: malformed, unauthenticated, replayed, unknown session, or stale handshake.
    public var rejected: UInt64 = 0
    /// Cookie replies sent (stateless).
    public var cookiesSent: UInt64 = 0
    /// Cleartext datagrams sent for a rendezvous node: hole punches and relay binds (``MeshEndpoint/sendCleartext(_:into:)``).
    public var punchesSent: UInt64 = 0
    /// Valid handshake initiations left unanswered because of ``LinkConfiguration/maxLinks``
    /// or ``LinkConfiguration/maxLinksPerHost``.
    public var initiationsRefusedAtCap: UInt64 = 0
    /// Unprotected links closed to make room for a newcomer at ``LinkConfiguration/maxLinks``.
    public var linksEvictedAtCap: UInt64 = 0
}
