/// Builds a canonical byte encoding in memory.
public struct ByteWriter: CanonicalEncoder, Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    public mutating func writeByte(_ byte: UInt8) { bytes.append(byte) }

    public mutating func writeBytes(_ newBytes: some Sequence<UInt8>) { bytes.append(contentsOf: newBytes) }

    /// Empties the writer but keeps its storage, for reuse in hot loops.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    /// Overwrites four bytes at `offset` with `value`, little-endian (for back-patched lengths).
    public mutating func patchUInt32(_ value: UInt32, at offset: Int) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> UInt32(8 * index)) }
    }
}
