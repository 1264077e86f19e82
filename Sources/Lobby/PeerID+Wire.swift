import MeshplayCore
import MeshTransport

extension PeerID {
    /// The 16 bytes of the id, high half first, each half big-endian (the digest's own order).
    public var bytes: [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(16)
        for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { result.append(UInt8(truncatingIfNeeded: low >> UInt64(shift))) }
        return result
    }

    public func write(to writer: inout ByteWriter) { writer.writeBytes(bytes) }

    public static func read(from reader: inout ByteReader) throws -> PeerID {
        let raw = try reader.readBytes(count: 16)
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 {
            high = high << 8 | UInt64(raw[index])
            low = low << 8 | UInt64(raw[8 + index])
        }
        return PeerID(high: high, low: low)
    }
}
