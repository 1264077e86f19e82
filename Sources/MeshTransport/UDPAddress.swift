import NIOCore

/// A UDP peer address (IPv4 or IPv6 host and port), for ``MeshEndpoint`` over real sockets.
public struct UDPAddress: LinkAddress {
    /// The socket address datagrams go to.
    public var socketAddress: SocketAddress

    /// Wraps a socket address.
    public init(_ socketAddress: SocketAddress) { self.socketAddress = socketAddress }

    /// Family, numeric host and port, so equal addresses give equal cookie input.
    public var cookieBytes: [UInt8] {
        var bytes: [UInt8] = []
        switch socketAddress {
        case .v4: bytes.append(4)
        case .v6: bytes.append(6)
        case .unixDomainSocket: bytes.append(0)
        }
        bytes += Array((socketAddress.ipAddress ?? "").utf8)
        let port = socketAddress.port ?? 0
        bytes += [UInt8(truncatingIfNeeded: port), UInt8(truncatingIfNeeded: port >> 8)]
        return bytes
    }

    public var description: String { "\(socketAddress)" }
}
