#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import MeshTransport

extension UDPAddress {
    /// The IPv4 address this host sends from toward `destination`, as its routing table picks
    /// it: a UDP socket is connected there (which sends nothing) and asked its own name. nil
    /// for an IPv6 destination or when there is no route. A host behind a home router gets its
    /// LAN address: the candidate that peers behind the same router reach it at.
    public static func localRoute(toward destination: UDPAddress) -> UDPAddress? {
        guard destination.family == .v4 else { return nil }
        #if canImport(Glibc)
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let descriptor = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = destination.port.bigEndian
        withUnsafeMutableBytes(of: &remote.sin_addr.s_addr) { $0.copyBytes(from: destination.ipBytes) }
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        var local = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else { return nil }
        let bytes = withUnsafeBytes(of: local.sin_addr.s_addr) { Array($0) }
        return UDPAddress(ipBytes: bytes, port: 0)
    }
}
