import MeshTransport
import NIOCore

/// The socket addresses of the last few peers written to: making a `SocketAddress` allocates
/// and formats its host text, too dear to do for every datagram a link sends.
///
/// At most ``capacity`` entries, replaced oldest first; a linear search over a handful of
/// peers costs less than one conversion.
struct SocketAddressCache {
    /// Enough for a full mesh of 32 nodes, with room for lobby probes.
    static let capacity = 48

    private var addresses: [UDPAddress] = []
    private var socketAddresses: [SocketAddress] = []
    private var nextReplaced = 0
    /// Whether the socket is IPv6 (dual-stack): IPv4 peers are then written to at their mapped form.
    var isIPv6Socket = false

    mutating func socketAddress(of address: UDPAddress) -> SocketAddress {
        if let index = addresses.firstIndex(of: address) { return socketAddresses[index] }
        let made = address.socketAddress(fromIPv6Socket: isIPv6Socket)
        if addresses.count < Self.capacity {
            addresses.append(address)
            socketAddresses.append(made)
        } else {
            addresses[nextReplaced] = address
            socketAddresses[nextReplaced] = made
            nextReplaced = (nextReplaced + 1) % Self.capacity
        }
        return made
    }
}
