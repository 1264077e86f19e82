#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MeshTransport

extension UDPAddress {
    /// The address in a socket address a system call filled in (`sockaddr_in` or `sockaddr_in6`);
    /// nil for another family. An IPv4-mapped IPv6 address is the IPv4 address, as in
    /// ``init(_:)-(SocketAddress)``. No allocation: the POSIX driver's read path.
    init?(socketAddress storage: UnsafeRawPointer) {
        switch Int32(storage.load(as: sockaddr.self).sa_family) {
        case AF_INET:
            let v4 = storage.load(as: sockaddr_in.self)
            let port = UInt16(bigEndian: v4.sin_port)
            guard let address = withUnsafeBytes(of: v4.sin_addr, { UDPAddress(ipBytes: $0, port: port) }) else { return nil }
            self = address
        case AF_INET6:
            let v6 = storage.load(as: sockaddr_in6.self)
            let port = UInt16(bigEndian: v6.sin6_port)
            let address = withUnsafeBytes(of: v6.sin6_addr) { raw -> UDPAddress? in
                let mapped = raw.prefix(12).elementsEqual(Self.mappedPrefix)
                return UDPAddress(ipBytes: mapped ? UnsafeRawBufferPointer(rebasing: raw[12...]) : raw, port: port)
            }
            guard let address else { return nil }
            self = address
        default:
            return nil
        }
    }

    /// Writes the socket address datagrams to this address go to into `storage` (room for a
    /// `sockaddr_storage`) and returns its length. From an IPv6 (dual-stack) socket an IPv4
    /// address is written in its mapped form. No allocation: the POSIX driver's write path.
    func write(socketAddressTo storage: UnsafeMutableRawPointer, fromIPv6Socket: Bool) -> socklen_t {
        let (high, low) = ipWords
        if family == .v4 && !fromIPv6Socket {
            var v4 = sockaddr_in()
            v4.sin_family = sa_family_t(AF_INET)
            v4.sin_port = port.bigEndian
            v4.sin_addr.s_addr = UInt32(truncatingIfNeeded: low).bigEndian
            storage.storeBytes(of: v4, as: sockaddr_in.self)
            return socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        var v6 = sockaddr_in6()
        v6.sin6_family = sa_family_t(AF_INET6)
        v6.sin6_port = port.bigEndian
        // An IPv4 address as ::ffff:a.b.c.d.
        let words = family == .v4 ? (UInt64(0), 0xFFFF_0000_0000 | low) : (high, low)
        withUnsafeMutableBytes(of: &v6.sin6_addr) { raw in
            raw.storeBytes(of: words.0.bigEndian, toByteOffset: 0, as: UInt64.self)
            raw.storeBytes(of: words.1.bigEndian, toByteOffset: 8, as: UInt64.self)
        }
        storage.storeBytes(of: v6, as: sockaddr_in6.self)
        return socklen_t(MemoryLayout<sockaddr_in6>.size)
    }
}
