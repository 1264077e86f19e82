import MeshTransport
import NIOCore

extension UDPAddress {
    /// The address of an IPv4 or IPv6 socket address; nil for a Unix socket. An IPv4-mapped
    /// IPv6 address (`::ffff:a.b.c.d`, what a dual-stack socket reports for an IPv4 sender) is
    /// the IPv4 address: one host has one address whichever socket heard it.
    public init?(_ socketAddress: SocketAddress) {
        guard let port = socketAddress.port.flatMap(UInt16.init(exactly:)) else { return nil }
        let address: UDPAddress?
        switch socketAddress {
        case .v4(let v4): address = withUnsafeBytes(of: v4.address.sin_addr) { UDPAddress(ipBytes: $0, port: port) }
        case .v6(let v6):
            address = withUnsafeBytes(of: v6.address.sin6_addr) { raw in
                let bytes = Array(raw)
                return bytes.prefix(12).elementsEqual(Self.mappedPrefix) ? UDPAddress(ipBytes: bytes.suffix(4), port: port) : UDPAddress(ipBytes: bytes, port: port)
            }
        case .unixDomainSocket: address = nil
        }
        guard let address else { return nil }
        self = address
    }

    /// `::ffff:0:0/96`: IPv4 addresses as a dual-stack IPv6 socket sees and reaches them.
    static let mappedPrefix: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF]

    /// The socket address datagrams to this address go to.
    public var socketAddress: SocketAddress { socketAddress(fromIPv6Socket: false) }

    /// The socket address datagrams to this address go to from a socket of that family: an
    /// IPv6 (dual-stack) socket reaches an IPv4 address at its mapped form.
    public func socketAddress(fromIPv6Socket: Bool) -> SocketAddress {
        var buffer = ByteBuffer()
        buffer.writeBytes(fromIPv6Socket && family == .v4 ? Self.mappedPrefix + ipBytes : ipBytes)
        // Four or sixteen bytes always make a valid packed IP address.
        return try! SocketAddress(packedIPAddress: buffer, port: Int(port))
    }
}

extension HostPort {
    /// The address: the IP literal, or the host name looked up with the system resolver
    /// (which may block; call it off the event loop).
    public func resolveAddress() throws -> UDPAddress {
        if let literal = literalAddress { return literal }
        let resolved = try SocketAddress.makeAddressResolvingHost(host, port: port)
        guard let address = UDPAddress(resolved) else { throw MeshResolverError.badHostPort(description) }
        return address
    }
}

/// The `--peer HOST:PORT` resolver: a fixed list, whatever the mesh name.
public struct StaticResolver: MeshResolver {
    /// The peers, in the order given.
    public let peers: [HostPort]

    /// A resolver for these `HOST:PORT` strings (throws on the first malformed one).
    public init(peers: [String]) throws {
        self.peers = try peers.map { try HostPort(parsing: $0) }
    }

    public func resolve(meshName: String) async throws -> [UDPAddress] {
        try peers.map { try $0.resolveAddress() }
    }
}
