#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A UDP peer address: an IPv4 or IPv6 host and a port, as plain values.
///
/// The sans-I/O cores (the endpoint, the mesh, the resolver protocol) work with this type;
/// only the socket driver (MeshTransportNIO) turns it into a socket address. The IP is
/// held as two 64-bit words so the type is cheap to copy, compare and hash, and it needs
/// no allocation. IPv6 scope ids (link-local zones) are not kept.
public struct UDPAddress: LinkAddress, Comparable {
    /// The address family.
    public enum Family: UInt8, Sendable, Hashable, Comparable {
        case v4 = 4
        case v6 = 6

        public static func < (lhs: Family, rhs: Family) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// IPv4 or IPv6.
    public let family: Family
    /// The first 8 bytes of an IPv6 address (0 for IPv4), big-endian.
    let high: UInt64
    /// The last 8 bytes of an IPv6 address, or the IPv4 address in the low 32 bits, big-endian.
    let low: UInt64
    /// The UDP port.
    public let port: UInt16

    /// The address made of `ip` (4 bytes for IPv4, 16 for IPv6, network order) and `port`; nil for any other length.
    public init?(ipBytes ip: [UInt8], port: UInt16) {
        guard let address = ip.withUnsafeBytes({ UDPAddress(ipBytes: $0, port: port) }) else { return nil }
        self = address
    }

    /// The same from raw memory, such as a socket address's `sin_addr` (no allocation: the read path).
    public init?(ipBytes ip: UnsafeRawBufferPointer, port: UInt16) {
        func word(_ range: Range<Int>) -> UInt64 { ip[range].reduce(0) { $0 << 8 | UInt64($1) } }
        switch ip.count {
        case 4:
            family = .v4
            high = 0
            low = word(0..<4)
        case 16:
            family = .v6
            high = word(0..<8)
            low = word(8..<16)
        default:
            return nil
        }
        self.port = port
    }

    /// Parses a numeric IP literal (`127.0.0.1`, `::1`, no brackets) with `port`; nil when
    /// `text` is not one or the port is outside 0-65535. Host names are not looked up here.
    public init?(ipAddress text: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            self.init(ipBytes: withUnsafeBytes(of: v4) { Array($0) }, port: UInt16(port))
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        self.init(ipBytes: withUnsafeBytes(of: v6) { Array($0) }, port: UInt16(port))
    }

    /// The IP in network order: 4 bytes for IPv4, 16 for IPv6.
    public var ipBytes: [UInt8] {
        switch family {
        case .v4: (0..<4).map { UInt8(truncatingIfNeeded: low >> UInt64(24 - 8 * $0)) }
        case .v6:
            (0..<8).map { UInt8(truncatingIfNeeded: high >> UInt64(56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> UInt64(56 - 8 * $0)) }
        }
    }

    /// The IP as two big-endian words, without allocating (what a socket driver writes into a
    /// socket address): the first and last 8 bytes of an IPv6 address; an IPv4 address is the
    /// low 32 bits of `low`, `high` 0.
    public var ipWords: (high: UInt64, low: UInt64) { (high, low) }

    /// The IP as text: dotted for IPv4, RFC 5952 for IPv6 (no brackets).
    public var ipAddress: String {
        var bytes = ipBytes
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let result = bytes.withUnsafeMutableBytes { raw in
            inet_ntop(family == .v4 ? AF_INET : AF_INET6, raw.baseAddress, &text, socklen_t(text.count))
        }
        guard result != nil else { return "?" }
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Whether the IP is a loopback address (127.0.0.0/8 or ::1).
    public var isLoopback: Bool {
        switch family {
        case .v4: low >> 24 == 127
        case .v6: high == 0 && low == 1
        }
    }

    /// Whether the IP is an IPv4 private address (10/8, 172.16/12, 192.168/16): one a home
    /// router's LAN uses, reachable only from behind the same router.
    public var isPrivateIPv4: Bool {
        guard family == .v4 else { return false }
        let ip = UInt32(truncatingIfNeeded: low)
        return ip >> 24 == 10 || ip >> 20 == 0xAC1 || ip >> 16 == 0xC0A8
    }

    /// This host with another port.
    public func withPort(_ port: UInt16) -> UDPAddress {
        UDPAddress(family: family, high: high, low: low, port: port)
    }

    private init(family: Family, high: UInt64, low: UInt64, port: UInt16) {
        self.family = family
        self.high = high
        self.low = low
        self.port = port
    }

    /// The host alone (port 0): links are capped per source host.
    public var sourceHost: UDPAddress { withPort(0) }

    /// Family, IP bytes and port: equal addresses give equal cookie input.
    public var cookieBytes: [UInt8] {
        [family.rawValue] + ipBytes + [UInt8(truncatingIfNeeded: port >> 8), UInt8(truncatingIfNeeded: port)]
    }

    /// `HOST:PORT`, IPv6 hosts in brackets (`[::1]:47000`), as people type them.
    public var description: String {
        family == .v6 ? "[\(ipAddress)]:\(port)" : "\(ipAddress):\(port)"
    }

    /// Family, then IP, then port: a stable order for lists.
    public static func < (lhs: UDPAddress, rhs: UDPAddress) -> Bool {
        (lhs.family, lhs.high, lhs.low, lhs.port) < (rhs.family, rhs.high, rhs.low, rhs.port)
    }
}
