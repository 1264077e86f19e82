import MeshplayCore

/// The rendezvous protocol's datagrams, version 2 (cleartext; see MeshProtocol.md, "Rendezvous").
///
/// Header: `"MPRV"` (4), version = 2 (1), kind (1). Then:
/// - register (1): nonce (u64), cookie (16, all zero when the client has none), port (u16 LE),
///   mesh name (varint length ≤ 64, UTF-8): at least 33 bytes.
/// - resolve (2): request id (u64), mesh name, then zero padding up to ``resolvePaddedSize``.
/// - answer (3): request id (u64), count (varint), that many addresses (family 4|6, IP bytes, port u16 BE).
/// - cookie (4): the register's nonce (u64), the cookie (16): 30 bytes, the reply to a register
///   without a valid cookie.
/// - registered (5): the register's nonce (u64), outcome (u8): 15 bytes, the reply to a register
///   with a valid cookie.
/// - introduce (6): request id (u64), port (u16 LE), mesh name, then zero padding up to
///   ``resolvePaddedSize``: a resolve that also asks the node to tell the members about the
///   asker (at the asker's IP and this port), so both ends send at once (hole punching).
/// - punch (7): the member's register nonce (u64), the newcomer's address (family 4|6, IP, port
///   u16 BE): 21 or 33 bytes, from the node to the address a member registered from. The nonce
///   is the member's own secret, so an off-path stranger cannot forge one.
/// - relay request (8): nonce (u64), cookie (16), the asker's game port (u16 LE), mesh name, the
///   member's address: at least 40 bytes; "give me a relay to this member" (`meshplay resolver
///   --relay`), served only with a cookie the node issued to this source.
/// - relay grant (9): the request's nonce (u64), relay port (u16 LE, 0 = refused), token (16):
///   32 bytes: send ``relayBind(token:)`` from the game socket to that port, then dial it.
/// - relay offer (10): the member's register nonce (u64), relay port (u16 LE), token (16): 32
///   bytes, to the address the member registered from: "bind this port, a newcomer comes that way".
///
/// - details (11): the member's register nonce (u64), port (u16 LE), mesh name, details (varint
///   length ≤ ``maxDetailsBytes``, opaque: a room's signed advert): at least 19 bytes, from the
///   member's registering socket; "attach these to my registration under this name". No reply.
/// - local (14): the register's nonce (u64), port (u16 LE), mesh name, the member's LAN address
///   (family 4, IP, port BE; a private IPv4 address): at least 25 bytes, from the member's
///   registering socket; "behind my NAT I am at this address". No reply. Handed out only to
///   askers from the member's own public IPv4 address, instead of that address.
/// - describe (12): request id (u64), mesh name, the member's address, then zero padding up to
///   ``resolvePaddedSize``: "what did the member at this address attach under this name?"
/// - description (13): request id (u64), the member's address, its details (varint length,
///   empty for none): at most 291 bytes, the reply to a describe.
///
/// A relay port takes the 20-byte bind datagram `"MPRB"` + token (``relayBind(token:)``), not
/// this header: it is not a rendezvous message.
///
/// No reply is ever larger than the request it answers: a cookie (30 B) or registered (15 B)
/// reply is smaller than the smallest register (33 B) and an answer fits in a padded resolve,
/// so the rendezvous node cannot be used to amplify a spoofed-source flood. Version-1
/// datagrams (and any other version) decode to nil and are ignored.
public enum RendezvousMessage: Sendable, Equatable {
    /// "Note my port as a member of this mesh" (stored only with a cookie the node issued to this source).
    case register(nonce: UInt64, cookie: [UInt8]?, meshName: String, port: UInt16)
    /// "Who is in this mesh?" (padded, so the answer cannot be larger).
    case resolve(requestID: UInt64, meshName: String)
    /// The members registered for the resolve with this id, as many as fit.
    case answer(requestID: UInt64, addresses: [UDPAddress])
    /// "Prove you receive at this address: send the register again with this cookie."
    case cookie(nonce: UInt64, cookie: [UInt8])
    /// What became of the register with this nonce (which carried a valid cookie).
    case registered(nonce: UInt64, outcome: RendezvousRegistry.Outcome)
    /// "Who is in this mesh? And tell them I am at my IP and this port" (padded like a resolve;
    /// answered with ``answer(requestID:addresses:)``).
    case introduce(requestID: UInt64, meshName: String, port: UInt16)
    /// "A newcomer at this address is dialling you: send it a datagram now", to the member
    /// whose register carried `nonce`.
    case punch(nonce: UInt64, address: UDPAddress)
    /// "Relay me to the member at this address under this name" (with a cookie, like a register).
    case relayRequest(nonce: UInt64, cookie: [UInt8]?, port: UInt16, meshName: String, member: UDPAddress)
    /// The relay port (0: refused) and token for the request with this nonce.
    case relayGrant(nonce: UInt64, port: UInt16, token: [UInt8])
    /// "A newcomer comes through the relay port: bind it with this token", to the member whose register carried `nonce`.
    case relayOffer(nonce: UInt64, port: UInt16, token: [UInt8])
    /// "Attach these details to my registration under this name (at my IP and this port)", from
    /// the registering socket with the register's nonce: a room's signed advert, so a lobby that
    /// no path reaches the host from still lists the room.
    case details(nonce: UInt64, meshName: String, port: UInt16, details: [UInt8])
    /// "Behind my NAT I am at `address`" (a private IPv4 address), from the registering socket
    /// with the register's nonce: askers behind the same NAT get it instead of the public one.
    case local(nonce: UInt64, meshName: String, port: UInt16, address: UDPAddress)
    /// "What did the member at this address attach under this name?" (padded like a resolve).
    case describe(requestID: UInt64, meshName: String, member: UDPAddress)
    /// The details the member at `member` attached (empty: none, or no such member).
    case description(requestID: UInt64, member: UDPAddress, details: [UInt8])

    /// The datagram a peer's game socket sends to a relay port to be bound to it (20 bytes).
    public static func relayBind(token: [UInt8]) -> [UInt8] { relayBindMagic + cookieField(token) }
    static let relayBindMagic: [UInt8] = Array("MPRB".utf8)

    /// The protocol version this build speaks; datagrams of any other version are ignored.
    public static let version: UInt8 = 2
    static let magic: [UInt8] = Array("MPRV".utf8)
    /// The longest mesh name (UTF-8 bytes).
    public static let maxNameBytes = 64
    /// The most bytes of details a member attaches to a registration.
    public static let maxDetailsBytes = 256
    /// Cookie length (an HMAC-SHA256 truncated, like the handshake's).
    public static let cookieSize = 16
    /// Resolve requests are padded to this size; answers must fit in it.
    static let resolvePaddedSize = 512
    static let headerSize = 6
    /// The smallest register: header, nonce, cookie, port, an empty name's length byte.
    static let minimumRegisterSize = headerSize + 8 + cookieSize + 2 + 1

    /// The datagram.
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 96)
        writer.writeBytes(Self.magic)
        writer.writeUInt8(Self.version)
        switch self {
        case .register(let nonce, let cookie, let name, let port):
            writer.writeUInt8(1)
            writer.writeUInt64(nonce)
            writer.writeBytes(Self.cookieField(cookie))
            writer.writeUInt16(port)
            writer.writeLengthPrefixed(Array(name.utf8))
        case .resolve(let id, let name):
            writer.writeUInt8(2)
            writer.writeUInt64(id)
            writer.writeLengthPrefixed(Array(name.utf8))
            Self.pad(&writer)
        case .answer(let id, let addresses):
            writer.writeUInt8(3)
            writer.writeUInt64(id)
            let encoded = addresses.map(\.meshEncoded)
            var fitting: [[UInt8]] = []
            var size = writer.count + 1
            for address in encoded where size + address.count <= Self.resolvePaddedSize {
                fitting.append(address)
                size += address.count
            }
            writer.writeVarint(fitting.count)
            for address in fitting { writer.writeBytes(address) }
        case .cookie(let nonce, let cookie):
            writer.writeUInt8(4)
            writer.writeUInt64(nonce)
            writer.writeBytes(Self.cookieField(cookie))
        case .registered(let nonce, let outcome):
            writer.writeUInt8(5)
            writer.writeUInt64(nonce)
            writer.writeUInt8(outcome.rawValue)
        case .introduce(let id, let name, let port):
            writer.writeUInt8(6)
            writer.writeUInt64(id)
            writer.writeUInt16(port)
            writer.writeLengthPrefixed(Array(name.utf8))
            Self.pad(&writer)
        case .punch(let nonce, let address):
            writer.writeUInt8(7)
            writer.writeUInt64(nonce)
            writer.writeBytes(address.meshEncoded)
        case .relayRequest(let nonce, let cookie, let port, let name, let member):
            writer.writeUInt8(8)
            writer.writeUInt64(nonce)
            writer.writeBytes(Self.cookieField(cookie))
            writer.writeUInt16(port)
            writer.writeLengthPrefixed(Array(name.utf8))
            writer.writeBytes(member.meshEncoded)
        case .relayGrant(let nonce, let port, let token), .relayOffer(let nonce, let port, let token):
            if case .relayGrant = self { writer.writeUInt8(9) } else { writer.writeUInt8(10) }
            writer.writeUInt64(nonce)
            writer.writeUInt16(port)
            writer.writeBytes(Self.cookieField(token))
        case .details(let nonce, let name, let port, let details):
            writer.writeUInt8(11)
            writer.writeUInt64(nonce)
            writer.writeUInt16(port)
            writer.writeLengthPrefixed(Array(name.utf8))
            writer.writeLengthPrefixed(Array(details.prefix(Self.maxDetailsBytes)))
        case .local(let nonce, let name, let port, let address):
            writer.writeUInt8(14)
            writer.writeUInt64(nonce)
            writer.writeUInt16(port)
            writer.writeLengthPrefixed(Array(name.utf8))
            writer.writeBytes(address.meshEncoded)
        case .describe(let id, let name, let member):
            writer.writeUInt8(12)
            writer.writeUInt64(id)
            writer.writeLengthPrefixed(Array(name.utf8))
            writer.writeBytes(member.meshEncoded)
            Self.pad(&writer)
        case .description(let id, let member, let details):
            writer.writeUInt8(13)
            writer.writeUInt64(id)
            writer.writeBytes(member.meshEncoded)
            writer.writeLengthPrefixed(Array(details.prefix(Self.maxDetailsBytes)))
        }
        return writer.bytes
    }

    /// One address as the mesh encodes it (family 4|6, IP bytes, port): nil for another family.
    private static func readAddress(_ reader: inout ByteReader) throws -> UDPAddress? {
        let family = try reader.readUInt8()
        let size = family == 4 ? 7 : family == 6 ? 19 : 0
        guard size > 0 else { return nil }
        return UDPAddress(meshEncoded: [family] + (try reader.readBytes(count: size - 1)))
    }

    /// Zero bytes up to ``resolvePaddedSize``: a request padded so its answer cannot be larger.
    private static func pad(_ writer: inout ByteWriter) {
        writer.writeBytes([UInt8](repeating: 0, count: max(0, resolvePaddedSize - writer.count)))
    }

    /// Exactly ``cookieSize`` bytes: the cookie, or zeros for none.
    private static func cookieField(_ cookie: [UInt8]?) -> [UInt8] {
        let bytes = Array((cookie ?? []).prefix(cookieSize))
        return bytes + [UInt8](repeating: 0, count: cookieSize - bytes.count)
    }

    /// Parses a datagram; nil for anything that is not a well-formed version-2 rendezvous message.
    public init?(decoding bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readBytes(count: 4) == Self.magic, try reader.readUInt8() == Self.version else { return nil }
            switch try reader.readUInt8() {
            case 1:
                let nonce = try reader.readUInt64()
                let cookie = try reader.readBytes(count: Self.cookieSize)
                let port = try reader.readUInt16()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                try reader.expectEnd()
                guard port != 0 else { return nil }
                self = .register(nonce: nonce, cookie: cookie.allSatisfy { $0 == 0 } ? nil : cookie, meshName: name, port: port)
            case 2:
                let id = try reader.readUInt64()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                // Unpadded requests are refused: the answer could be bigger than they are.
                guard bytes.count >= Self.resolvePaddedSize else { return nil }
                self = .resolve(requestID: id, meshName: name)
            case 3:
                let id = try reader.readUInt64()
                let count = try reader.readVarint(max: Self.resolvePaddedSize / 7, "address count")
                var addresses: [UDPAddress] = []
                for _ in 0..<count {
                    guard let address = try Self.readAddress(&reader) else { return nil }
                    addresses.append(address)
                }
                try reader.expectEnd()
                self = .answer(requestID: id, addresses: addresses)
            case 4:
                let nonce = try reader.readUInt64()
                let cookie = try reader.readBytes(count: Self.cookieSize)
                try reader.expectEnd()
                self = .cookie(nonce: nonce, cookie: cookie)
            case 5:
                let nonce = try reader.readUInt64()
                guard let outcome = RendezvousRegistry.Outcome(rawValue: try reader.readUInt8()) else { return nil }
                try reader.expectEnd()
                self = .registered(nonce: nonce, outcome: outcome)
            case 6:
                let id = try reader.readUInt64()
                let port = try reader.readUInt16()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                guard bytes.count >= Self.resolvePaddedSize, port != 0 else { return nil }
                self = .introduce(requestID: id, meshName: name, port: port)
            case 7:
                let nonce = try reader.readUInt64()
                guard let address = try Self.readAddress(&reader) else { return nil }
                try reader.expectEnd()
                self = .punch(nonce: nonce, address: address)
            case 8:
                let nonce = try reader.readUInt64()
                let cookie = try reader.readBytes(count: Self.cookieSize)
                let port = try reader.readUInt16()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                guard let member = try Self.readAddress(&reader), port != 0 else { return nil }
                try reader.expectEnd()
                self = .relayRequest(nonce: nonce, cookie: cookie.allSatisfy { $0 == 0 } ? nil : cookie, port: port, meshName: name, member: member)
            case 9, 10:
                let kind = bytes[Self.headerSize - 1]
                let nonce = try reader.readUInt64()
                let port = try reader.readUInt16()
                let token = try reader.readBytes(count: Self.cookieSize)
                try reader.expectEnd()
                self = kind == 9 ? .relayGrant(nonce: nonce, port: port, token: token) : .relayOffer(nonce: nonce, port: port, token: token)
            case 11:
                let nonce = try reader.readUInt64()
                let port = try reader.readUInt16()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                let details = try reader.readLengthPrefixed(max: Self.maxDetailsBytes)
                try reader.expectEnd()
                guard port != 0 else { return nil }
                self = .details(nonce: nonce, meshName: name, port: port, details: details)
            case 14:
                let nonce = try reader.readUInt64()
                let port = try reader.readUInt16()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                guard let address = try Self.readAddress(&reader), port != 0, address.isPrivateIPv4, address.port != 0 else { return nil }
                try reader.expectEnd()
                self = .local(nonce: nonce, meshName: name, port: port, address: address)
            case 12:
                let id = try reader.readUInt64()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                guard let member = try Self.readAddress(&reader), bytes.count >= Self.resolvePaddedSize else { return nil }
                self = .describe(requestID: id, meshName: name, member: member)
            case 13:
                let id = try reader.readUInt64()
                guard let member = try Self.readAddress(&reader) else { return nil }
                let details = try reader.readLengthPrefixed(max: Self.maxDetailsBytes)
                try reader.expectEnd()
                self = .description(requestID: id, member: member, details: details)
            default:
                return nil
            }
        } catch {
            return nil
        }
    }
}
