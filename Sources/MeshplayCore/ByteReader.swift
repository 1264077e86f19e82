/// Why a canonical decode failed, and where.
public struct DecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Byte offset into the input where the problem was found.
    public var offset: Int
    /// What was wrong, for a person to read.
    public var reason: String

    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    public var description: String { "at byte \(offset): \(reason)" }
}

/// Reads Meshplay's canonical encoding from a byte array.
///
/// Every read is bounds-checked and throws `DecodingError` on short, overlong or
/// hostile input; nothing traps, and a claimed length is checked against the
/// bytes actually present before anything is allocated.
public struct ByteReader: Sendable {
    public let bytes: [UInt8]
    /// Offset of the next byte to read.
    public var offset: Int { position }
    /// Backs `offset`, so that inlinable reads can advance it.
    @usableFromInline var position: Int
    /// Offset one past the last readable byte.
    public let end: Int

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        position = 0
        self.end = bytes.count
    }

    /// A reader over `range` of `bytes`; offsets stay relative to the whole array.
    public init(_ bytes: [UInt8], range: Range<Int>) {
        precondition(range.lowerBound >= 0 && range.upperBound <= bytes.count, "range outside bytes")
        self.bytes = bytes
        position = range.lowerBound
        self.end = range.upperBound
    }

    public var remaining: Int { end - offset }
    public var isAtEnd: Bool { offset >= end }

    /// A failure at the current offset.
    public func error(_ reason: String) -> DecodingError { DecodingError(offset: offset, reason: reason) }

    public mutating func readByte() throws -> UInt8 {
        guard offset < end else { throw error("unexpected end of data") }
        let byte = bytes[offset]
        position += 1
        return byte
    }

    public mutating func readUInt8() throws -> UInt8 { try readByte() }

    public mutating func readBool() throws -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        default: position -= 1; throw error("invalid boolean")
        }
    }

    private mutating func readFixed(_ width: Int) throws -> UInt64 {
        guard remaining >= width else { throw error("unexpected end of data: need \(width) bytes, have \(remaining)") }
        var value: UInt64 = 0
        for index in 0..<width { value |= UInt64(bytes[offset + index]) << UInt64(8 * index) }
        position += width
        return value
    }

    public mutating func readUInt16() throws -> UInt16 { UInt16(try readFixed(2)) }
    public mutating func readUInt32() throws -> UInt32 { UInt32(try readFixed(4)) }
    public mutating func readUInt64() throws -> UInt64 { try readFixed(8) }

    /// Unsigned LEB128 of at most ten bytes. Overlong or overflowing encodings are refused,
    /// so every value has exactly one accepted encoding.
    @inlinable
    public mutating func readVarint() throws -> UInt64 {
        // Most varints (inputs, slot masks, short counts) are one byte: those are read inline.
        if position < end {
            let byte = bytes[position]
            if byte < 0x80 {
                position &+= 1
                return UInt64(byte)
            }
        }
        return try readMultiByteVarint()
    }

    /// `readVarint` for a varint of two or more bytes, or one cut short.
    @usableFromInline
    mutating func readMultiByteVarint() throws -> UInt64 {
        let start = position
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw DecodingError(offset: position, reason: "unexpected end of data in varint") }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 { throw DecodingError(offset: start, reason: "varint overflows 64 bits") }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 {
                if byte == 0 && shift > 0 { throw DecodingError(offset: start, reason: "overlong varint") }
                return value
            }
            shift += 7
        }
    }

    /// A varint that must be at most `limit`; returned as `Int`.
    @inlinable
    public mutating func readVarint(max limit: Int, _ what: String = "value") throws -> Int {
        let start = position
        let value = try readVarint()
        guard value <= UInt64(limit) else { throw Self.overLimit(value, limit, what, at: start) }
        return Int(value)
    }

    /// The error of `readVarint(max:)`, kept out of line.
    @usableFromInline
    static func overLimit(_ value: UInt64, _ limit: Int, _ what: String, at offset: Int) -> DecodingError {
        DecodingError(offset: offset, reason: "\(what) \(value) exceeds limit \(limit)")
    }

    public mutating func readSignedVarint() throws -> Int64 {
        let raw = try readVarint()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    /// Exactly `count` bytes.
    public mutating func readBytes(count: Int) throws -> [UInt8] {
        guard count >= 0, count <= remaining else {
            throw error("unexpected end of data: need \(count) bytes, have \(remaining)")
        }
        let result = Array(bytes[offset ..< offset + count])
        position += count
        return result
    }

    /// Skips `count` bytes.
    public mutating func skip(_ count: Int) throws {
        guard count >= 0, count <= remaining else { throw error("unexpected end of data: cannot skip \(count) bytes") }
        position += count
    }

    /// A varint length of at most `limit`, then that many bytes.
    public mutating func readLengthPrefixed(max limit: Int) throws -> [UInt8] {
        let count = try readVarint(max: limit, "length")
        return try readBytes(count: count)
    }

    /// A length-prefixed UTF-8 string of at most `limit` bytes; invalid UTF-8 is refused.
    public mutating func readString(maxBytes limit: Int) throws -> String {
        let start = offset
        let raw = try readLengthPrefixed(max: limit)
        guard let string = String(validating: raw, as: UTF8.self) else {
            throw DecodingError(offset: start, reason: "invalid UTF-8 in string")
        }
        return string
    }

    /// Throws unless every byte has been read.
    public func expectEnd(_ what: String = "data") throws {
        guard isAtEnd else { throw error("\(remaining) unexpected trailing bytes after \(what)") }
    }
}
