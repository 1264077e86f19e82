import MeshplayCore

/// The relay of `meshplay resolver --relay` (sans-I/O): pairs of the node's relay ports, each
/// pair carrying datagrams between a newcomer and a member that cannot reach each other (a
/// symmetric NAT picks a new port for every destination, so no punched path exists).
///
/// A pair is made for a newcomer that proved its source (a cookie round trip) and a member
/// registered under a name. Each side gets its own port and a token, and binds the port by
/// sending the token from its game socket: the relay then knows the side's address as its
/// NAT maps it. Only datagrams from a bound address are forwarded, only to the other side's
/// bound address, and only within the pair's and the relay's byte budgets: so the relay can
/// be aimed at nobody who did not ask, sends each side at most what the other sent, and never
/// answers a datagram at a relay port. It cannot read what it forwards: the links are sealed
/// end to end, the relay sees only the packets.
///
/// Bounds, and what happens at each:
/// - pairs: one per two ports of the pool; with no two ports free a request is refused.
/// - ``maxPairsPerSource`` pairs per newcomer source (IPv4 address or IPv6 /64): past it the
///   source's least recently used pair is closed for the new one.
/// - a pair idle (nothing forwarded, no bind) for ``idleLifetime`` is closed, its ports freed.
/// - ``pairBytesPerSecond`` per pair (burst twice that) and ``totalBytesPerSecond`` over all:
///   a datagram past either budget is dropped (the links' own retransmission copes).
public struct RelayTable: Sendable {
    /// One relayed pair: side 0 is the newcomer that asked first, side 1 the member it asked for.
    public struct Pair: Sendable {
        public let ports: [UInt16]
        let tokens: [[UInt8]]
        /// Each side's address once it bound its port.
        public private(set) var bound: [UDPAddress?] = [nil, nil]
        let source: [UInt8]
        let newcomer: UDPAddress
        let member: UDPAddress
        var lastUsed: Timestamp
        var budget: ByteBudget

        fileprivate mutating func bind(side: Int, to address: UDPAddress) { bound[side] = address }
    }

    /// What a relay request is granted: the asker's port and token, and the member's.
    public struct Grant: Sendable, Equatable {
        public let newcomerPort: UInt16
        public let newcomerToken: [UInt8]
        public let memberPort: UInt16
        public let memberToken: [UInt8]
    }

    /// Pairs a newcomer source holds at most.
    public var maxPairsPerSource = 8
    /// A pair unused this long is closed.
    public var idleLifetime = TimeSpan.seconds(30)
    /// Bytes a second one pair forwards at most (both ways together); an 8-player 30 Hz match
    /// sends about 2.5 KB a second each way on a link, so this leaves room for 12 such links.
    public var pairBytesPerSecond = 64 * 1024
    /// Bytes a second the relay forwards at most, over every pair.
    public var totalBytesPerSecond: Int {
        get { total.bytesPerSecond }
        set { total.bytesPerSecond = newValue }
    }
    /// The pairs, oldest first.
    public private(set) var pairs: [Pair] = []
    /// Pairs made so far (numbers the tokens).
    public private(set) var pairsMade: UInt64 = 0
    /// Datagrams dropped: from an unbound address, to an unbound side, or past a budget.
    public private(set) var dropped = 0
    /// Bytes forwarded so far, over every pair ever made.
    public private(set) var bytesForwarded = 0
    private var freePorts: [UInt16]
    private var total: ByteBudget
    private let tokenKey: CookieJar

    /// A relay over `ports` (the shell bound them), its tokens keyed by `secret` (32 random
    /// bytes from the shell: the core reads no random source).
    public init(ports: [UInt16], secret: [UInt8]) {
        freePorts = ports
        total = ByteBudget(bytesPerSecond: 8 * 1024 * 1024)
        tokenKey = CookieJar(secret: .init(data: secret), bucket: .seconds(1))
    }

    /// Ports in the pool not in a pair.
    public var freePortCount: Int { freePorts.count }

    /// A pair between `newcomer` (its IP with the game port it gave) and `member` (as
    /// registered): the one they already have, whichever of them asked first (it stays, so its
    /// ports and tokens do not change when asked again, and two members asking for each other
    /// share one pair), or a new one; nil when no two ports are free.
    public mutating func pair(newcomer: UDPAddress, member: UDPAddress, at now: Timestamp) -> Grant? {
        expire(at: now)
        let source = RendezvousRegistry.source(of: newcomer)
        if let index = pairs.firstIndex(where: { $0.newcomer == newcomer && $0.member == member }) {
            pairs[index].lastUsed = now
            return grant(of: pairs[index])
        }
        if let index = pairs.firstIndex(where: { $0.newcomer == member && $0.member == newcomer }) {
            pairs[index].lastUsed = now
            let asked = grant(of: pairs[index])
            // The member asks back: its side is the pair's side 1.
            return Grant(newcomerPort: asked.memberPort, newcomerToken: asked.memberToken, memberPort: asked.newcomerPort, memberToken: asked.newcomerToken)
        }
        let own = pairs.indices.filter { pairs[$0].source == source }
        if own.count >= maxPairsPerSource, let oldest = own.min(by: { pairs[$0].lastUsed < pairs[$1].lastUsed }) { close(at: oldest) }
        guard freePorts.count >= 2 else { return nil }
        pairsMade += 1
        let ports = [freePorts.removeFirst(), freePorts.removeFirst()]
        let tokens = (0..<2).map { side in
            tokenKey.cookie(for: [UInt8(side)] + ports.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }, helloNonce: pairsMade, bucket: 0)
        }
        let pair = Pair(ports: ports, tokens: tokens, source: source, newcomer: newcomer, member: member, lastUsed: now,
                        budget: ByteBudget(bytesPerSecond: pairBytesPerSecond))
        pairs.append(pair)
        return grant(of: pair)
    }

    /// A datagram that arrived at relay port `port` from `sender`: a bind (kept, never answered),
    /// or a datagram to forward, returned with the port to send it from and where to. Anything
    /// else (an unknown port or sender, the other side not bound yet, a budget spent) is dropped.
    public mutating func receive(
        _ bytes: [UInt8], from sender: UDPAddress, atPort port: UInt16, at now: Timestamp
    ) -> (bytes: [UInt8], fromPort: UInt16, to: UDPAddress)? {
        guard let index = pairs.firstIndex(where: { $0.ports.contains(port) }) else {
            dropped += 1
            return nil
        }
        let side = pairs[index].ports[0] == port ? 0 : 1
        if bytes.count == 20, bytes == RendezvousMessage.relayBind(token: pairs[index].tokens[side]) {
            // A NAT may move the side to a new port: the newest bind wins.
            pairs[index].bind(side: side, to: sender)
            pairs[index].lastUsed = now
            return nil
        }
        guard pairs[index].bound[side] == sender, let other = pairs[index].bound[1 - side] else {
            dropped += 1
            return nil
        }
        guard pairs[index].budget.spend(bytes.count, at: now), total.spend(bytes.count, at: now) else {
            dropped += 1
            return nil
        }
        bytesForwarded += bytes.count
        pairs[index].lastUsed = now
        return (bytes, pairs[index].ports[1 - side], other)
    }

    /// Closes pairs idle for ``idleLifetime``.
    public mutating func expire(at now: Timestamp) {
        var index = pairs.count - 1
        while index >= 0 {
            if now - pairs[index].lastUsed >= idleLifetime { close(at: index) }
            index -= 1
        }
    }

    private mutating func close(at index: Int) {
        freePorts += pairs[index].ports
        pairs.remove(at: index)
    }

    private func grant(of pair: Pair) -> Grant {
        Grant(newcomerPort: pair.ports[0], newcomerToken: pair.tokens[0], memberPort: pair.ports[1], memberToken: pair.tokens[1])
    }
}

/// A token bucket of bytes (integer arithmetic): refills at ``bytesPerSecond`` up to twice that.
struct ByteBudget: Sendable {
    var bytesPerSecond: Int
    private var available: Int
    private var refilledAt: Timestamp?

    init(bytesPerSecond: Int) {
        self.bytesPerSecond = bytesPerSecond
        available = 2 * bytesPerSecond
    }

    /// Takes `bytes` if the bucket holds them.
    mutating func spend(_ bytes: Int, at now: Timestamp) -> Bool {
        if let refilledAt {
            let elapsed = Int(min((now - refilledAt).nanoseconds, 10_000_000_000))
            let added = bytesPerSecond * elapsed / 1_000_000_000
            // Only whole bytes move the clock on, so frequent small spends never lose refill.
            if added > 0 {
                available = min(2 * bytesPerSecond, available + added)
                self.refilledAt = now
            }
        } else {
            refilledAt = now
        }
        guard available >= bytes else { return false }
        available -= bytes
        return true
    }
}
