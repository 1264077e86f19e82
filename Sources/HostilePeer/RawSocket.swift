#if canImport(Glibc)
import Glibc
#endif
import MeshTransport
import MeshplayCore

/// A non-blocking IPv4 UDP socket on loopback, with what it received counted: the
/// adversary's own wire, and the "victim" hosts whose received bytes measure reflection.
final class RawSocket {
    let descriptor: Int32
    /// Where it is bound.
    let address: UDPAddress
    /// Bytes and datagrams that arrived (read by ``receive()`` or ``drain()``).
    private(set) var bytesReceived = 0
    private(set) var datagramsReceived = 0
    /// Bytes sent through it.
    private(set) var bytesSent = 0

    /// Binds `ip` (a 127.x.y.z address) on `port` (0: any free one).
    init(ip: String = "127.0.0.1", port: UInt16 = 0) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        self.descriptor = descriptor
        guard descriptor >= 0 else { throw AttackError("socket(): errno \(errno)") }
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_port = port.bigEndian
        guard inet_pton(AF_INET, ip, &local.sin_addr) == 1 else { throw AttackError("not an IPv4 address: \(ip)") }
        let bound = withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            close(descriptor)
            throw AttackError("bind \(ip):\(port): errno \(errno)")
        }
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &size) }
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var buffer: Int32 = 4 << 20
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &buffer, socklen_t(MemoryLayout<Int32>.size))
        address = UDPAddress(ipAddress: ip, port: Int(UInt16(bigEndian: local.sin_port)))!
    }

    deinit { close(descriptor) }

    /// Sends one datagram (dropped silently if the kernel refuses it, as UDP may).
    func send(_ bytes: [UInt8], to destination: UDPAddress) {
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = destination.port.bigEndian
        _ = inet_pton(AF_INET, destination.ipAddress, &remote.sin_addr)
        let sent = bytes.withUnsafeBytes { payload in
            withUnsafePointer(to: &remote) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, payload.baseAddress, payload.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        if sent > 0 { bytesSent += sent }
    }

    /// Every datagram waiting now.
    func receive() -> [(bytes: [UInt8], from: UDPAddress)] {
        var result: [(bytes: [UInt8], from: UDPAddress)] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            var remote = sockaddr_in()
            var size = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = buffer.withUnsafeMutableBytes { storage in
                withUnsafeMutablePointer(to: &remote) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { recvfrom(descriptor, storage.baseAddress, storage.count, 0, $0, &size) }
                }
            }
            guard count >= 0 else { return result }
            bytesReceived += count
            datagramsReceived += 1
            let ip = withUnsafeBytes(of: remote.sin_addr) { Array($0) }
            if let from = UDPAddress(ipBytes: ip, port: UInt16(bigEndian: remote.sin_port)) { result.append((Array(buffer[0..<count]), from)) }
        }
    }

    /// Reads and discards what is waiting (a victim only counts).
    func drain() { _ = receive() }
}

/// Why an attack could not be run (not a verdict: the run is void).
struct AttackError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The monotonic clock as the cores' timestamps.
enum Clock {
    static func now() -> Timestamp {
        var value = timespec()
        clock_gettime(CLOCK_MONOTONIC, &value)
        return Timestamp(nanoseconds: UInt64(value.tv_sec) * 1_000_000_000 + UInt64(value.tv_nsec))
    }

    static func sleep(milliseconds: Int) { usleep(UInt32(milliseconds * 1000)) }
}
