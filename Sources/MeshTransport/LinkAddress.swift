/// An address a link endpoint can send datagrams to: a simulated node number or a UDP socket address.
///
/// The endpoint core is generic over it, so the same code runs over
/// ``SimulatedNetwork`` and over real sockets.
public protocol LinkAddress: Hashable, Sendable, CustomStringConvertible {
    /// A canonical byte form, bound into handshake cookies (equal addresses give equal bytes).
    var cookieBytes: [UInt8] { get }
    /// The sending host, without what tells its sockets apart (a UDP address with port 0):
    /// what per-source caps count by. By default the address itself.
    var sourceHost: Self { get }
}

extension LinkAddress {
    public var sourceHost: Self { self }
}

/// A node's address on the ``SimulatedNetwork``.
public struct SimulatedAddress: LinkAddress, Comparable {
    /// The node's index in the simulated network.
    public var node: UInt32

    /// The address of node `node`.
    public init(node: UInt32) { self.node = node }

    public var cookieBytes: [UInt8] {
        [0x53, UInt8(truncatingIfNeeded: node), UInt8(truncatingIfNeeded: node >> 8),
         UInt8(truncatingIfNeeded: node >> 16), UInt8(truncatingIfNeeded: node >> 24)]
    }

    public var description: String { "sim:\(node)" }

    public static func < (lhs: SimulatedAddress, rhs: SimulatedAddress) -> Bool { lhs.node < rhs.node }
}
