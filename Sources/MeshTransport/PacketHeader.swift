import MeshplayCore

/// The kinds of packet on the wire (the header's second byte). See PacketFormat.md.
public enum PacketType: UInt8, Sendable, CaseIterable {
    /// Handshake 1, initiator to responder: padded, asks for a cookie.
    case hello = 1
    /// Handshake 2, responder to initiator: a stateless cookie, smaller than the hello.
    case cookie = 2
    /// Handshake 3, initiator to responder: cookie, identity, ephemeral key, signature.
    case initiation = 3
    /// Handshake 4, responder to initiator: identity, ephemeral key, signature.
    case response = 4
    /// Link traffic, sealed with a per-direction session key.
    case data = 16
}

/// The 14-byte cleartext header that starts every packet (authenticated as
/// associated data, not encrypted):
///
/// | offset | size | field |
/// | --- | --- | --- |
/// | 0 | 1 | version, currently 2 |
/// | 1 | 1 | ``PacketType`` |
/// | 2 | 4 | receiver's session id, little-endian (0 for hello, cookie and initiation) |
/// | 6 | 8 | sequence, little-endian: the sender's packet number for data, a random nonce for handshakes |
///
/// The ciphertext follows, then the 16-byte Poly1305 tag.
public struct PacketHeader: Equatable, Sendable {
    /// The only version this code speaks. 2: the layout of 1, for nodes whose mesh layer signs
    /// member records (MeshProtocol.md version 2); a version-1 node, which would silently
    /// disagree about who is in the mesh, is refused at its first datagram.
    public static let currentVersion: UInt8 = 2
    /// Bytes in the header.
    public static let size = 14
    /// Bytes in the ChaCha20-Poly1305 tag.
    public static let tagSize = 16
    /// Header plus tag: what sealing adds to every packet.
    public static let overhead = size + tagSize
    /// The largest plaintext payload of a packet.
    public static let maxPayload = 1200
    /// The largest datagram Meshplay sends or accepts (1230 bytes, under IPv6's 1232-byte minimum-MTU payload).
    public static let maxDatagram = maxPayload + overhead

    /// What the packet carries.
    public var type: PacketType
    /// The receiver's session id (data and response), otherwise 0.
    public var session: UInt32
    /// The sender's packet number (data) or a random nonce (handshake); part of the AEAD nonce.
    public var sequence: UInt64

    /// A header with these fields.
    public init(type: PacketType, session: UInt32, sequence: UInt64) {
        self.type = type
        self.session = session
        self.sequence = sequence
    }

    /// Appends the 14 header bytes.
    public func write(to bytes: inout [UInt8]) {
        bytes.append(Self.currentVersion)
        bytes.append(type.rawValue)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: session >> UInt32(shift))) }
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: sequence >> UInt64(shift))) }
    }

    /// Parses the header of a whole datagram, refusing wrong versions, unknown
    /// types and datagrams too short to hold a tag or longer than ``maxDatagram``.
    public init(parsing datagram: [UInt8]) throws(DecodingError) {
        guard datagram.count >= Self.overhead else {
            throw DecodingError(offset: 0, reason: "datagram of \(datagram.count) bytes is shorter than header and tag")
        }
        guard datagram.count <= Self.maxDatagram else {
            throw DecodingError(offset: 0, reason: "datagram of \(datagram.count) bytes exceeds \(Self.maxDatagram)")
        }
        guard datagram[0] == Self.currentVersion else {
            throw DecodingError(offset: 0, reason: "unknown version \(datagram[0])")
        }
        guard let type = PacketType(rawValue: datagram[1]) else {
            throw DecodingError(offset: 1, reason: "unknown packet type \(datagram[1])")
        }
        var session: UInt32 = 0
        for index in 0..<4 { session |= UInt32(datagram[2 + index]) << UInt32(8 * index) }
        var sequence: UInt64 = 0
        for index in 0..<8 { sequence |= UInt64(datagram[6 + index]) << UInt64(8 * index) }
        self.init(type: type, session: session, sequence: sequence)
    }
}

/// Appends little-endian integers and LEB128 varints to a byte array (the hot-path twin of `ByteWriter`).
@usableFromInline
struct WireWriter {
    @usableFromInline var bytes: [UInt8]

    @inlinable init(capacity: Int) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    @inlinable mutating func byte(_ value: UInt8) { bytes.append(value) }

    @inlinable mutating func uint32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    @inlinable mutating func uint64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    @inlinable mutating func varint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    @inlinable mutating func append(_ slice: ArraySlice<UInt8>) { bytes.append(contentsOf: slice) }
    @inlinable mutating func append(_ array: [UInt8]) { bytes.append(contentsOf: array) }

    /// Bytes a varint of `value` takes.
    @inlinable static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 { size += 1; rest >>= 7 }
        return size
    }
}
