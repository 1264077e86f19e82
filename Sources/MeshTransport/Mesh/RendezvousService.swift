@preconcurrency import Crypto
import MeshplayCore

/// The rendezvous node's protocol core (sans-I/O): what `meshplay resolver` does with each
/// datagram.
///
/// A registration is stored only from a source that proved it receives at its address: a
/// register without a valid cookie gets a stateless cookie reply (an HMAC of the node's
/// secret over the source address and the time window, ``CookieJar``), and only the
/// register sent again with that cookie is stored. Nothing is kept per unproven source, so a
/// spoofed-source register costs the node no state and is never handed to a resolver.
/// Registrations take the sender's IP, so a node can register only addresses on its own
/// host. Every reply is at most as large as the datagram it answers (see
/// ``RendezvousMessage``); anything malformed, of another version, or not a request gets none.
public struct RendezvousService: Sendable {
    /// Who registered which mesh, until when.
    public private(set) var registry: RendezvousRegistry
    private let cookies: CookieJar
    /// One punch request per member and newcomer a second, at most 4,096 every 10 s in all: a
    /// flood of introductions costs the members a bounded trickle of 21-33 byte datagrams.
    private var punchPacer = PunchPacer<[UInt8]>(spacing: .seconds(1), window: .seconds(10), maxPerWindow: 4096, maxKeys: 4096)
    /// At most 128 punch requests every 10 s caused by one asking source (an IPv4 address or
    /// IPv6 /64): a joiner into a full room introduces itself every 2 s to 15 members (75), and
    /// a stranger asking over and over cannot use up what the others share.
    private var punchesPerSource = SourceBudget<[UInt8]>(maxPerWindow: 128)
    /// The relay (`--relay`), or nil: then every relay request is refused.
    public private(set) var relay: RelayTable?

    /// Mixed into every rendezvous cookie, so it can never pass for a handshake cookie (or the reverse).
    static let cookieDomain: UInt64 = 0x4D50_5256_636F_6F6B

    /// A service over `registry` whose cookies are keyed by `secret` (32 random bytes from the
    /// shell: the core reads no random source) and change every `cookieWindow`; a cookie is
    /// accepted in the window it was issued in and the next one (so 20-40 s by default,
    /// longer than the clients' 10 s renewal).
    public init(registry: RendezvousRegistry = RendezvousRegistry(), secret: [UInt8], cookieWindow: TimeSpan = .seconds(20), relay: RelayTable? = nil) {
        self.registry = registry
        self.relay = relay
        cookies = CookieJar(secret: SymmetricKey(data: secret), bucket: cookieWindow)
    }

    /// Handles one datagram from `sender`; returns the reply to send back to it, if any.
    /// Punch requests an introduction causes are dropped (see ``receive(_:from:at:punches:)``).
    public mutating func receive(_ bytes: [UInt8], from sender: UDPAddress, at now: Timestamp) -> [UInt8]? {
        var ignored: [OutgoingDatagram<UDPAddress>] = []
        return receive(bytes, from: sender, at: now, punches: &ignored)
    }

    /// Handles one datagram from `sender`; returns the reply to send back to it, if any, and
    /// appends to `punches` the punch requests an introduction causes: one to each member
    /// registered under the name, at the address it registered from (which its NAT lets this
    /// node reach), naming the newcomer at its IP and the port it gave. They go only to
    /// members, whose sources are proven, never to the asker.
    public mutating func receive(
        _ bytes: [UInt8], from sender: UDPAddress, at now: Timestamp, punches: inout [OutgoingDatagram<UDPAddress>]
    ) -> [UInt8]? {
        let reply: RendezvousMessage
        switch RendezvousMessage(decoding: bytes) {
        case .register(let nonce, let cookie, let name, let port):
            let source = sender.cookieBytes
            guard let cookie, cookies.isValid(cookie, for: source, helloNonce: Self.cookieDomain, at: now) else {
                reply = .cookie(nonce: nonce, cookie: cookies.cookie(for: source, helloNonce: Self.cookieDomain, at: now))
                break
            }
            reply = .registered(nonce: nonce, outcome: registry.register(meshName: name, address: sender.withPort(port), at: now, via: sender, nonce: nonce))
        case .resolve(let id, let name):
            reply = .answer(requestID: id, addresses: registry.resolve(meshName: name, at: now, asker: sender))
        case .introduce(let id, let name, let port):
            let newcomer = sender.withPort(port)
            let asker = RendezvousRegistry.source(of: sender)
            for route in registry.punchRoutes(meshName: name, newcomer: newcomer, at: now)
            where punchPacer.allow(route.via.meshEncoded + newcomer.meshEncoded, at: now) && punchesPerSource.take(asker, at: now) {
                punches.append(OutgoingDatagram(address: route.via, bytes: RendezvousMessage.punch(nonce: route.nonce, address: newcomer).encoded))
            }
            // A member asking (it registered too) does not hear of itself.
            reply = .answer(requestID: id, addresses: registry.resolve(meshName: name, at: now, asker: sender, excluding: newcomer))
        case .relayRequest(let nonce, let cookie, let port, let name, let member):
            let source = sender.cookieBytes
            guard let cookie, cookies.isValid(cookie, for: source, helloNonce: Self.cookieDomain, at: now) else {
                reply = .cookie(nonce: nonce, cookie: cookies.cookie(for: source, helloNonce: Self.cookieDomain, at: now))
                break
            }
            // Only to a member registered under that name (a proven source), and only with a relay.
            let asker = sender.withPort(port)
            // `member` as the asker heard it: its public address, or its LAN one (asked from behind the same NAT).
            guard let registered = registry.registeredAddress(meshName: name, heardAs: member, by: sender, at: now),
                  let route = registry.punchRoutes(meshName: name, newcomer: asker, at: now).first(where: { $0.member == registered }),
                  let grant = relay?.pair(newcomer: asker, member: registered, at: now) else {
                reply = .relayGrant(nonce: nonce, port: 0, token: [])
                break
            }
            punches.append(OutgoingDatagram(
                address: route.via, bytes: RendezvousMessage.relayOffer(nonce: route.nonce, port: grant.memberPort, token: grant.memberToken).encoded))
            reply = .relayGrant(nonce: nonce, port: grant.newcomerPort, token: grant.newcomerToken)
        case .details(let nonce, let name, let port, let details):
            // From the registering socket, with its nonce: nobody else can attach to a registration. No reply.
            registry.attach(details, meshName: name, address: sender.withPort(port), via: sender, nonce: nonce, at: now)
            return nil
        case .local(let nonce, let name, let port, let address):
            registry.attach(local: address, meshName: name, address: sender.withPort(port), via: sender, nonce: nonce, at: now)
            return nil
        case .describe(let id, let name, let member):
            // Padded like a resolve, and the description is at most 291 bytes: never larger than the request.
            let details = registry.registeredAddress(meshName: name, heardAs: member, by: sender, at: now)
                .map { registry.details(meshName: name, address: $0, at: now) } ?? []
            reply = .description(requestID: id, member: member, details: details)
        case .answer, .cookie, .registered, .punch, .relayGrant, .relayOffer, .description, nil:
            return nil
        }
        let encoded = reply.encoded
        // The layouts make this always hold; checked anyway, since it is the property that
        // keeps the node from amplifying a flood at a spoofed address.
        return encoded.count <= bytes.count ? encoded : nil
    }

    /// A datagram at relay port `port` (see ``RelayTable/receive(_:from:atPort:at:)``): what to
    /// forward, from which relay port, to whom; nil to drop it. Never a reply to the sender.
    public mutating func receive(
        _ bytes: [UInt8], from sender: UDPAddress, atRelayPort port: UInt16, at now: Timestamp
    ) -> (bytes: [UInt8], fromPort: UInt16, to: UDPAddress)? {
        relay?.receive(bytes, from: sender, atPort: port, at: now)
    }
}
