import NIOCore

/// Finds members of a mesh by name. A resolver answers only with addresses: it learns
/// nothing secret and never carries game traffic; the handshake then proves who is who.
public protocol MeshResolver: Sendable {
    /// Addresses where members of `meshName` may be listening (possibly none).
    func resolve(meshName: String) async throws -> [SocketAddress]
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

    /// The socket address (host names are looked up with the system resolver, which may block).
    public func socketAddress() throws -> SocketAddress {
        if let literal = try? SocketAddress(ipAddress: host, port: port) { return literal }
        return try SocketAddress.makeAddressResolvingHost(host, port: port)
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// The `--peer HOST:PORT` resolver: a fixed list, whatever the mesh name.
public struct StaticResolver: MeshResolver {
    /// The peers, in the order given.
    public let peers: [HostPort]

    /// A resolver for these `HOST:PORT` strings (throws on the first malformed one).
    public init(peers: [String]) throws {
        self.peers = try peers.map { try HostPort(parsing: $0) }
    }

    public func resolve(meshName: String) async throws -> [SocketAddress] {
        try peers.map { try $0.socketAddress() }
    }
}

/// Asks several resolvers and merges their answers (duplicates removed, first answer's order kept).
/// A resolver that fails is skipped, so one dead rendezvous node does not hide the LAN.
public struct ResolverChain: MeshResolver {
    /// The resolvers, asked in order.
    public let resolvers: [any MeshResolver]

    /// A chain of `resolvers`.
    public init(_ resolvers: [any MeshResolver]) { self.resolvers = resolvers }

    public func resolve(meshName: String) async throws -> [SocketAddress] {
        var result: [SocketAddress] = []
        for resolver in resolvers {
            guard let found = try? await resolver.resolve(meshName: meshName) else { continue }
            for address in found where !result.contains(address) { result.append(address) }
        }
        return result
    }
}

extension HostPort {
    /// `HOST:PORT` for a socket address (IPv6 in brackets), for messages to people.
    public static func display(_ address: SocketAddress) -> String {
        let host = address.ipAddress ?? "?"
        let port = address.port ?? 0
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
