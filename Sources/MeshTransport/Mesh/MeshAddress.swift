import NIOCore

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
    public var meshEncoded: [UInt8] { Self.encode(socketAddress) ?? [] }

    public init?(meshEncoded bytes: [UInt8]) {
        guard let address = Self.decode(bytes) else { return nil }
        self.init(address)
    }

    /// The compact binary form of an IP socket address (nil for Unix sockets).
    static func encode(_ address: SocketAddress) -> [UInt8]? {
        guard let port = address.port else { return nil }
        var bytes: [UInt8]
        switch address {
        case .v4(let v4):
            bytes = [4]
            withUnsafeBytes(of: v4.address.sin_addr) { bytes += $0 }
        case .v6(let v6):
            bytes = [6]
            withUnsafeBytes(of: v6.address.sin6_addr) { bytes += $0 }
        case .unixDomainSocket:
            return nil
        }
        bytes += [UInt8(truncatingIfNeeded: port >> 8), UInt8(truncatingIfNeeded: port)]
        return bytes
    }

    /// The socket address of ``encode(_:)``'s output, or nil.
    static func decode(_ bytes: [UInt8]) -> SocketAddress? {
        guard let family = bytes.first else { return nil }
        let ipCount = family == 4 ? 4 : family == 6 ? 16 : 0
        guard ipCount > 0, bytes.count == 1 + ipCount + 2 else { return nil }
        let port = Int(bytes[1 + ipCount]) << 8 | Int(bytes[2 + ipCount])
        var buffer = ByteBuffer()
        buffer.writeBytes(bytes[1 ..< 1 + ipCount])
        return try? SocketAddress(packedIPAddress: buffer, port: port)
    }
}
