/// A link address that can travel inside mesh messages, so a member can tell a
/// newcomer where the others are.
public protocol MeshAddress: LinkAddress {
    /// The address as bytes (at most ``maxEncodedSize``).
    var meshEncoded: [UInt8] { get }
    /// The address these bytes describe, or nil if they describe none.
    init?(meshEncoded bytes: [UInt8])
}

extension MeshAddress {
    /// The longest encoded address accepted from the wire.
    public static var maxEncodedSize: Int { 32 }
}

extension SimulatedAddress: MeshAddress {
    /// The node number, four bytes little-endian.
    public var meshEncoded: [UInt8] {
        [UInt8(truncatingIfNeeded: node), UInt8(truncatingIfNeeded: node >> 8),
         UInt8(truncatingIfNeeded: node >> 16), UInt8(truncatingIfNeeded: node >> 24)]
    }

    public init?(meshEncoded bytes: [UInt8]) {
        guard bytes.count == 4 else { return nil }
        self.init(node: UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
    }
}

extension UDPAddress: MeshAddress {
    /// Family (4 or 6), the raw IP bytes (4 or 16), then the port (big-endian, two bytes).
    public var meshEncoded: [UInt8] {
        [family.rawValue] + ipBytes + [UInt8(truncatingIfNeeded: port >> 8), UInt8(truncatingIfNeeded: port)]
    }

    public init?(meshEncoded bytes: [UInt8]) {
        guard let family = bytes.first.flatMap(Family.init(rawValue:)) else { return nil }
        let ipCount = family == .v4 ? 4 : 16
        guard bytes.count == 1 + ipCount + 2 else { return nil }
        let port = UInt16(bytes[1 + ipCount]) << 8 | UInt16(bytes[2 + ipCount])
        self.init(ipBytes: Array(bytes[1 ..< 1 + ipCount]), port: port)
    }
}
