/// Finds members of a mesh by name. A resolver answers only with addresses: it learns
/// nothing secret and never carries game traffic; the handshake then proves who is who.
public protocol MeshResolver: Sendable {
    /// Addresses where members of `meshName` may be listening (possibly none).
    func resolve(meshName: String) async throws -> [UDPAddress]
}

/// Errors of the resolvers and their address parsing.
public enum MeshResolverError: Error, Equatable, CustomStringConvertible {
    /// Not `HOST:PORT` (IPv6 hosts in brackets: `[::1]:47000`).
    case badHostPort(String)
    /// No answer from the rendezvous node in time.
    case noAnswer

    public var description: String {
        switch self {
        case .badHostPort(let text): "expected HOST:PORT, got '\(text)'"
        case .noAnswer: "the rendezvous node did not answer"
        }
    }
}

/// A `HOST:PORT` pair from the command line.
public struct HostPort: Sendable, Equatable, CustomStringConvertible {
    /// Host name or IP literal (without brackets).
    public var host: String
    /// UDP port.
    public var port: Int

    /// Parses `HOST:PORT` or `[IPv6]:PORT`.
    public init(parsing text: String) throws {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") {
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw MeshResolverError.badHostPort(text) }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":"), text.firstIndex(of: ":") == colon else { throw MeshResolverError.badHostPort(text) }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard !hostPart.isEmpty, let port = Int(portPart), (1...65535).contains(port) else { throw MeshResolverError.badHostPort(text) }
        self.host = String(hostPart)
        self.port = port
    }

    /// The address when the host is an IP literal; nil for a host name (MeshTransportNIO looks those up).
    public var literalAddress: UDPAddress? { UDPAddress(ipAddress: host, port: port) }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// Asks several resolvers and merges their answers (duplicates removed, first answer's order kept).
/// A resolver that fails is skipped, so one dead rendezvous node does not hide the LAN.
public struct ResolverChain: MeshResolver {
    /// The resolvers, asked in order.
    public let resolvers: [any MeshResolver]

    /// A chain of `resolvers`.
    public init(_ resolvers: [any MeshResolver]) { self.resolvers = resolvers }

    public func resolve(meshName: String) async throws -> [UDPAddress] {
        var result: [UDPAddress] = []
        for resolver in resolvers {
            guard let found = try? await resolver.resolve(meshName: meshName) else { continue }
            for address in found where !result.contains(address) { result.append(address) }
        }
        return result
    }
}
