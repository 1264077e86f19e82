/// A sink for Meshplay's canonical binary encoding.
///
/// The encoding is the one format used for the wire, replay files and state
/// checksums: fixed-width integers are little-endian, variable-length integers
/// are unsigned LEB128 (signed ones zigzag-encoded first), strings are UTF-8
/// with a varint byte-count prefix. Writing a value to a `ByteWriter` and to a
/// `StateHasher` therefore sees the same byte stream, which is what makes a
/// checksum "a hash of the canonical encoding" without building the bytes.
public protocol CanonicalEncoder {
    /// Appends one byte.
    mutating func writeByte(_ byte: UInt8)
    /// Appends raw bytes.
    mutating func writeBytes(_ bytes: some Sequence<UInt8>)
}

extension CanonicalEncoder {
    @inlinable public mutating func writeUInt8(_ value: UInt8) { writeByte(value) }

    @inlinable public mutating func writeBool(_ value: Bool) { writeByte(value ? 1 : 0) }

    @inlinable public mutating func writeUInt16(_ value: UInt16) {
        writeByte(UInt8(truncatingIfNeeded: value))
        writeByte(UInt8(truncatingIfNeeded: value >> 8))
    }

    @inlinable public mutating func writeUInt32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { writeByte(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    @inlinable public mutating func writeUInt64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { writeByte(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// Unsigned LEB128: seven bits a byte, low bits first, high bit set on all but the last.
    @inlinable public mutating func writeVarint(_ value: UInt64) {
        var rest = value
        while rest >= 0x80 {
            writeByte(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        writeByte(UInt8(rest))
    }

    @inlinable public mutating func writeVarint(_ value: Int) {
        precondition(value >= 0, "unsigned varint of a negative value")
        writeVarint(UInt64(value))
    }

    /// Zigzag then LEB128, so small negative numbers stay short.
    @inlinable public mutating func writeSignedVarint(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    /// A varint byte count, then the bytes.
    public mutating func writeLengthPrefixed(_ bytes: [UInt8]) {
        writeVarint(UInt64(bytes.count))
        writeBytes(bytes)
    }

    /// A varint byte count, then the UTF-8 bytes.
    public mutating func writeString(_ string: String) {
        writeLengthPrefixed(Array(string.utf8))
    }
}

/// Something with one canonical encoding.
public protocol CanonicalCodable {
    /// Writes the canonical encoding.
    func encode(to encoder: inout some CanonicalEncoder)
    /// Reads a value written by `encode`, throwing on short or malformed input.
    init(from reader: inout ByteReader) throws
}

extension CanonicalCodable {
    /// The canonical bytes of this value.
    public var canonicalBytes: [UInt8] {
        var writer = ByteWriter()
        encode(to: &writer)
        return writer.bytes
    }
}
