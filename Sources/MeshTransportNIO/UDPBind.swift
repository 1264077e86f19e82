#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix

/// A UDP socket could not be bound: says which address and why, in words a person reads
/// ("cannot listen on UDP 127.0.0.1:47123: Address already in use").
public struct UDPBindError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The host asked for.
    public var host: String
    /// The port asked for (0: any).
    public var port: Int
    /// Why, as the system says it.
    public var reason: String
    /// The errno, when the system gave one.
    public var errno: Int32?

    public var description: String {
        let place = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "cannot listen on UDP \(place): \(reason)"
    }

    /// Whether another socket holds the port.
    public var isAddressInUse: Bool { errno == EADDRINUSE }
}

enum UDPBind {
    /// Binds the bootstrap to `host:port`, turning any failure into a ``UDPBindError``.
    static func bind(host: String, port: Int, _ bootstrap: () -> DatagramBootstrap) async throws -> Channel {
        do {
            return try await bootstrap().bind(host: host, port: port).get()
        } catch let error as IOError {
            throw UDPBindError(host: host, port: port, reason: String(cString: strerror(error.errnoCode)), errno: error.errnoCode)
        } catch {
            throw UDPBindError(host: host, port: port, reason: "\(error)", errno: nil)
        }
    }
}
