import MeshTransport
import NIOCore

extension UDPAddress {
    /// The address of an IPv4 or IPv6 socket address; nil for a Unix socket.
    public init?(_ socketAddress: SocketAddress) {
        guard let port = socketAddress.port.flatMap(UInt16.init(exactly:)) else { return nil }
        let address: UDPAddress?
        switch socketAddress {
        case .v4(let v4): address = withUnsafeBytes(of: v4.address.sin_addr) { UDPAddress(ipBytes: $0, port: port) }
        case .v6(let v6): address = withUnsafeBytes(of: v6.address.sin6_addr) { UDPAddress(ipBytes: $0, port: port) }
        case .unixDomainSocket: address = nil
        }
        guard let address else { return nil }
        self = address
    }

    /// The socket address datagrams to this address go to.
    public var socketAddress: SocketAddress {
        var buffer = ByteBuffer()
        buffer.writeBytes(ipBytes)
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
