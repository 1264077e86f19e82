import MeshplayCore

/// The kinds of packet on the wire (the low four bits of a packet's first byte). See PacketFormat.md.
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

/// The cleartext header that starts every packet (authenticated as associated data, not
/// encrypted). Its first byte is the version in the high four bits and the kind in the low:
///
/// | kind | header | layout after the first byte |
/// | --- | --- | --- |
/// | 1-4 handshake | 13 bytes | session id (4, 0 for hello, cookie and initiation), nonce (8) |
/// | 10 data, short | 7 bytes | receiver's session id (4), packet number's low 16 bits (2) |
/// | 11 data, long | 9 bytes | receiver's session id (4), packet number's low 32 bits (4) |
/// | 12, 13 | | as 10 and 11, with a short tag |
///
/// All little-endian. The ciphertext follows, then the Poly1305 tag: all 16 bytes of it, or its
/// first 8 in a data packet of kind 12 or 13, which a sender uses for a plaintext of at most
/// ``shortTagLimit`` bytes (a lockstep datagram: there the tag is most of the packet). A data packet
/// carries only the low bits of its packet number; the receiver takes the number nearest the
/// one after the largest it authenticated (RFC 9000, appendix A.3), and the sender uses the
/// long form whenever its unacknowledged packets span more than a quarter of the short range.
public struct PacketHeader: Equatable, Sendable {
    /// The only version this code speaks. 4: small data packets carry an 8-byte tag (kinds 12
    /// and 13), which a version-3 node could not read. 3: data packets carry a 7- or 9-byte
    /// header instead of version 2's 14 bytes. A node of another version is refused at its
    /// first datagram, as it refuses ours.
    public static let currentVersion: UInt8 = 4
    /// Bytes in a handshake packet's header.
    public static let handshakeSize = 13
    /// Bytes in a data packet's header, short form.
    public static let shortDataSize = 7
    /// Bytes in a data packet's header, long form.
    public static let longDataSize = 9
    /// Bytes in the ChaCha20-Poly1305 tag.
    public static let tagSize = 16
    /// Bytes of the tag a small data packet carries: its first 8. A forgery then passes with
    /// chance 2⁻⁶⁴ a try instead of 2⁻¹⁰⁶ (Poly1305 is keyed afresh for every packet, so failed
    /// tries teach nothing about the next): at 10 million forged packets a second, one passes after about 58,000 years on average.
    public static let shortTagSize = 8
    /// The largest plaintext sealed with a short tag. Up to it the 8 bytes saved are at least 9%
    /// of the packet (a lockstep datagram has about 10 bytes of plaintext: a quarter), and the second
    /// sealing pass that checking a short tag costs (``PacketSealer``) is cheap; above it neither holds.
    public static let shortTagLimit = 64
    /// What sealing adds to a data packet with the whole tag: short header plus tag (the long form adds 2 more).
    public static let overhead = shortDataSize + tagSize
    /// What sealing adds to a small data packet: short header plus short tag.
    public static let smallOverhead = shortDataSize + shortTagSize
    /// The most sealing adds to any packet: a handshake's header plus tag.
    public static let maxOverhead = handshakeSize + tagSize
    /// The largest plaintext payload of a packet.
    public static let maxPayload = 1200
    /// The largest datagram Meshplay sends or accepts (1230 bytes, under IPv6's 1232-byte minimum-MTU payload).
    public static let maxDatagram = 1230
    /// A data packet's packet numbers may span this many unacknowledged packets and still go in short form.
    static let shortFormSpan: UInt64 = 1 << 14

    static let shortDataKind: UInt8 = 10
    static let longDataKind: UInt8 = 11
    /// Added to a data kind when the packet carries the short tag.
    static let shortTagKindOffset: UInt8 = 2

    /// What the packet carries.
    public var type: PacketType
    /// The receiver's session id (data and response), otherwise 0.
    public var session: UInt32
    /// The sender's packet number (data) or a random nonce (handshake); part of the AEAD nonce.
    /// A parsed data header holds only the low bits the packet carried (``sequenceBytes``).
    public var sequence: UInt64
    /// Bytes of ``sequence`` on the wire: 8 for handshakes, 2 or 4 for data.
    public var sequenceBytes: Int
    /// Bytes of the tag after the ciphertext: ``tagSize``, or ``shortTagSize`` for a small data packet.
    public var tagBytes: Int

    /// A handshake header (`type` other than data: an 8-byte nonce), or a data header in long form.
    public init(type: PacketType, session: UInt32, sequence: UInt64) {
        self.type = type
        self.session = session
        self.sequence = sequence
        self.sequenceBytes = type == .data ? 4 : 8
        self.tagBytes = Self.tagSize
    }

    /// A data header for packet `number`, short when the packets not yet acknowledged from
    /// `largestAcknowledged` on fit the short form's span, announcing a tag of `tagBytes`
    /// (``tagBytes(forPlaintext:)``).
    public init(dataTo session: UInt32, number: UInt64, largestAcknowledged: UInt64, tagBytes: Int = tagSize) {
        precondition(tagBytes == Self.tagSize || tagBytes == Self.shortTagSize, "a tag is 16 or 8 bytes")
        self.type = .data
        self.session = session
        self.sequence = number
        self.sequenceBytes = number - min(number, largestAcknowledged) < Self.shortFormSpan ? 2 : 4
        self.tagBytes = tagBytes
    }

    /// The tag a data packet of `count` plaintext bytes carries: short up to ``shortTagLimit``.
    public static func tagBytes(forPlaintext count: Int) -> Int {
        count <= shortTagLimit ? shortTagSize : tagSize
    }

    /// Bytes in this header.
    public var size: Int { 5 + sequenceBytes }

    /// The first byte: version and kind.
    var leadByte: UInt8 {
        let kind: UInt8 = switch type {
        case .data:
            (sequenceBytes == 2 ? Self.shortDataKind : Self.longDataKind)
                + (tagBytes == Self.shortTagSize ? Self.shortTagKindOffset : 0)
        default: type.rawValue
        }
        return Self.currentVersion << 4 | kind
    }

    /// Appends the header bytes.
    public func write(to bytes: inout [UInt8]) {
        bytes.append(leadByte)
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: session >> UInt32(shift))) }
        for index in 0..<sequenceBytes { bytes.append(UInt8(truncatingIfNeeded: sequence >> UInt64(8 * index))) }
    }

    /// Parses the header of a whole datagram, refusing wrong versions, unknown
    /// kinds and datagrams too short to hold header and tag or longer than ``maxDatagram``.
    public init(parsing datagram: [UInt8]) throws(DecodingError) {
        guard datagram.count >= Self.smallOverhead else {
            throw DecodingError(offset: 0, reason: "datagram of \(datagram.count) bytes is shorter than header and tag")
        }
        guard datagram.count <= Self.maxDatagram else {
            throw DecodingError(offset: 0, reason: "datagram of \(datagram.count) bytes exceeds \(Self.maxDatagram)")
        }
        guard datagram[0] >> 4 == Self.currentVersion else {
            throw DecodingError(offset: 0, reason: "unknown version \(datagram[0] >> 4)")
        }
        let kind = datagram[0] & 0x0F
        switch kind {
        case Self.shortDataKind: (type, sequenceBytes, tagBytes) = (.data, 2, Self.tagSize)
        case Self.longDataKind: (type, sequenceBytes, tagBytes) = (.data, 4, Self.tagSize)
        case Self.shortDataKind + Self.shortTagKindOffset: (type, sequenceBytes, tagBytes) = (.data, 2, Self.shortTagSize)
        case Self.longDataKind + Self.shortTagKindOffset: (type, sequenceBytes, tagBytes) = (.data, 4, Self.shortTagSize)
        default:
            guard let handshake = PacketType(rawValue: kind), handshake != .data else {
                throw DecodingError(offset: 0, reason: "unknown packet kind \(kind)")
            }
            (type, sequenceBytes, tagBytes) = (handshake, 8, Self.tagSize)
        }
        guard datagram.count >= 5 + sequenceBytes + tagBytes else {
            throw DecodingError(offset: 0, reason: "datagram of \(datagram.count) bytes is shorter than header and tag")
        }
        var session: UInt32 = 0
        for index in 0..<4 { session |= UInt32(datagram[1 + index]) << UInt32(8 * index) }
        var sequence: UInt64 = 0
        for index in 0..<sequenceBytes { sequence |= UInt64(datagram[5 + index]) << UInt64(8 * index) }
        self.session = session
        self.sequence = sequence
    }

    /// The whole packet number whose low ``sequenceBytes`` bytes a parsed data header carried:
    /// the one nearest `expected` (the number after the largest authenticated so far).
    public func packetNumber(expected: UInt64) -> UInt64 {
        guard sequenceBytes < 8 else { return sequence }
        let window: UInt64 = 1 << UInt64(8 * sequenceBytes)
        let half = window / 2
        let candidate = (expected & ~(window - 1)) | sequence
        if candidate <= expected, expected - candidate >= half, candidate < UInt64.max - window { return candidate + window }
        if candidate > expected, candidate - expected > half, candidate >= window { return candidate - window }
        return candidate
    }

    /// The kind of packet `datagram` would be, from its first byte alone (nil: not ours).
    public static func type(of datagram: [UInt8]) -> PacketType? {
        guard let lead = datagram.first, lead >> 4 == currentVersion else { return nil }
        let kind = lead & 0x0F
        if (shortDataKind...longDataKind + shortTagKindOffset).contains(kind) { return .data }
        return PacketType(rawValue: kind).flatMap { $0 == .data ? nil : $0 }
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

    /// Writes `value` as a varint into `bytes` from `offset` (room for 10 bytes needed); returns
    /// the offset after it.
    @inlinable static func writeVarint(_ value: UInt64, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        var rest = value
        var index = offset
        while rest >= 0x80 {
            bytes[index] = UInt8(truncatingIfNeeded: rest) | 0x80
            rest >>= 7
            index += 1
        }
        bytes[index] = UInt8(rest)
        return index + 1
    }

    /// Bytes a varint of `value` takes.
    @inlinable static func varintSize(_ value: UInt64) -> Int {
        var size = 1
        var rest = value >> 7
        while rest != 0 { size += 1; rest >>= 7 }
        return size
    }
}
