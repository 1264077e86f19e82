import MeshplayCore

/// Keeps a port registered under some names at one rendezvous node (sans-I/O; the
/// `RendezvousClient` shell carries its datagrams over one UDP socket).
///
/// Every ``renewInterval`` it sends one register per name; a name not acknowledged is sent
/// again every ``retryInterval``. The node answers a register without a valid cookie with
/// a cookie, and the registrar sends the unacknowledged registers again at once with it; the
/// cookie is kept and reused until the node sends a new one (it rotates every window).
///
/// With ``details`` (a room's signed advert), every stored registration gets them attached
/// (``RendezvousMessage/details(nonce:meshName:port:details:)``), again after each renewal and
/// within ``retryInterval`` of a change: a lobby no path reaches the member from still lists it.
public struct RendezvousRegistrar: Sendable {
    /// What the node asks of the member's game socket.
    public enum MemberRequest: Sendable, Equatable {
        /// Send one punch datagram toward a newcomer (``MeshEndpoint/punchDatagram``).
        case punch(toward: UDPAddress)
        /// Bind this relay port of the node with ``RendezvousMessage/relayBind(token:)``: a
        /// newcomer that cannot reach the member comes through it.
        case bindRelay(port: UInt16, token: [UInt8])
    }

    /// The names registered, each with its own nonce (`firstNonce + index`).
    public let names: [String]
    /// The port registered (the node takes the IP from the datagram's source).
    public let port: UInt16
    /// How often every name is registered again (registrations last 30 s at the node).
    public var renewInterval: TimeSpan = .seconds(10)
    /// How soon an unacknowledged register is sent again.
    public var retryInterval: TimeSpan = .seconds(1)
    /// What the node said to each name's last register this round (nil: nothing yet).
    public private(set) var outcomes: [RendezvousRegistry.Outcome?]
    private let firstNonce: UInt64
    private var cookie: [UInt8]?
    private var nextRound = Timestamp.zero
    private var nextRetry = Timestamp.zero
    /// What to attach to each stored registration (empty: nothing). The shell sets it when
    /// ``detailsDue(at:)`` says so.
    public var details: [UInt8] = []
    /// The member's LAN address behind its NAT (a private IPv4 address with the registered
    /// port), attached to each stored registration: askers behind the same NAT get it.
    public var local: UDPAddress?
    /// Whether the node got ``local`` for each name this round.
    private var localSent: [Bool]
    /// What the node last got attached for each name this round (nil: nothing yet).
    private var attached: [[UInt8]?]
    private var nextAttach = Timestamp.zero
    /// One punch per newcomer a second, at most 32 every 10 s (a full room of newcomers, each
    /// introducing itself every 2 s): what a forged or flooded punch request can make this member
    /// send, 4 bytes each, to any address (see ``receive(_:at:requests:)``).
    private var punchPacer = PunchPacer<UDPAddress>(spacing: .seconds(1), window: .seconds(10), maxPerWindow: 32, maxKeys: 64)
    /// Relay binds on their own budget (they go only to the node's own relay ports): one per
    /// port a second, at most 32 every 10 s, so punches can never starve them.
    private var bindPacer = PunchPacer<UInt16>(spacing: .seconds(1), window: .seconds(10), maxPerWindow: 32, maxKeys: 64)

    /// A registrar for `port` under `names` (each at most 64 UTF-8 bytes). `nonce` should
    /// be random (the shell's entropy): replies are matched by it.
    public init(names: [String], port: UInt16, nonce: UInt64) {
        self.names = names
        self.port = port
        firstNonce = nonce
        outcomes = names.map { _ in nil }
        attached = names.map { _ in nil }
        localSent = names.map { _ in false }
    }

    /// Whether the shell should refresh ``details`` now (at most once per ``retryInterval``:
    /// a room's advert is signed anew each time).
    public func detailsDue(at now: Timestamp) -> Bool { now >= nextAttach }

    /// Whether every name was stored in this round.
    public var isRegistered: Bool { outcomes.allSatisfy { $0 == .stored } }

    /// When ``tick(at:)`` next has something to send.
    public var nextDeadline: Timestamp { outcomes.contains(nil) ? min(nextRound, nextRetry) : nextRound }

    /// The registers due at `now`, to send to the node.
    public mutating func tick(at now: Timestamp) -> [[UInt8]] {
        var due: [[UInt8]] = []
        if now >= nextRound {
            nextRound = now + renewInterval
            outcomes = names.map { _ in nil }
            attached = names.map { _ in nil }
            localSent = names.map { _ in false }
            nextRetry = now + retryInterval
            due = pending
        } else if outcomes.contains(nil) && now >= nextRetry {
            nextRetry = now + retryInterval
            due = pending
        }
        if now >= nextAttach {
            nextAttach = now + retryInterval
            due += names.indices.flatMap { attachments(for: $0) }
        }
        return due
    }

    /// Takes a datagram from the node; returns what to send back at once (the registers again, with a new cookie).
    public mutating func receive(_ bytes: [UInt8], at now: Timestamp) -> [[UInt8]] {
        var ignored: [MemberRequest] = []
        return receive(bytes, at: now, requests: &ignored)
    }

    /// Takes a datagram from the node; returns what to send back at once, and appends to
    /// `requests` what the node asks of the member's game socket: a punch toward a newcomer
    /// (one small datagram, so its NAT lets the newcomer's handshake in), or a relay port to bind.
    ///
    /// A request counts only with the nonce of one of this registrar's own registers (a
    /// secret between it and the node), and at most 32 punches and 32 binds go out every 10 s,
    /// one per newcomer (or relay port) a second: a forged or flooded request makes the member
    /// send little (at most 128 bytes of punches per 10 s), whatever it names. Relay binds go
    /// only to the node's own IP.
    public mutating func receive(_ bytes: [UInt8], at now: Timestamp, requests: inout [MemberRequest]) -> [[UInt8]] {
        switch RendezvousMessage(decoding: bytes) {
        case .punch(let nonce, let address):
            if index(of: nonce) != nil, punchPacer.allow(address, at: now) { requests.append(.punch(toward: address)) }
            return []
        case .relayOffer(let nonce, let port, let token):
            if index(of: nonce) != nil, port != 0, bindPacer.allow(port, at: now) { requests.append(.bindRelay(port: port, token: token)) }
            return []
        case .cookie(let nonce, let cookie):
            guard index(of: nonce) != nil, cookie != self.cookie else { return [] }
            self.cookie = cookie
            nextRetry = now + retryInterval
            return pending
        case .registered(let nonce, let outcome):
            guard let index = index(of: nonce) else { return [] }
            outcomes[index] = outcome
            return attachments(for: index)
        default:
            return []
        }
    }

    /// The registers of the names not acknowledged yet.
    private var pending: [[UInt8]] {
        names.indices.filter { outcomes[$0] == nil }.map {
            RendezvousMessage.register(nonce: firstNonce &+ UInt64($0), cookie: cookie, meshName: names[$0], port: port).encoded
        }
    }

    /// What a stored name's registration lacks: the current ``details``, and ``local`` once a round.
    private mutating func attachments(for index: Int) -> [[UInt8]] {
        guard outcomes[index] == .stored else { return [] }
        let nonce = firstNonce &+ UInt64(index)
        var due: [[UInt8]] = []
        if !details.isEmpty, attached[index] != details {
            attached[index] = details
            due.append(RendezvousMessage.details(nonce: nonce, meshName: names[index], port: port, details: details).encoded)
        }
        if let local, !localSent[index] {
            localSent[index] = true
            due.append(RendezvousMessage.local(nonce: nonce, meshName: names[index], port: port, address: local).encoded)
        }
        return due
    }

    private func index(of nonce: UInt64) -> Int? {
        let offset = nonce &- firstNonce
        return offset < UInt64(names.count) ? Int(offset) : nil
    }
}
