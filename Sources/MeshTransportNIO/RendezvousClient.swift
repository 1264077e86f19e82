import MeshTransport
import NIOCore
import NIOPosix

/// Talks to a rendezvous node: registers a mesh and resolves mesh names (the
/// `--resolver HOST:PORT` resolver).
public struct RendezvousClient: MeshResolver {
    /// The rendezvous node.
    public var server: UDPAddress
    /// How long to wait for each answer.
    public var timeout: TimeAmount
    /// Resolve attempts before giving up (UDP may lose a datagram).
    public var attempts: Int

    /// A client of the rendezvous node at `server`.
    public init(server: UDPAddress, timeout: TimeAmount = .milliseconds(500), attempts: Int = 3) {
        self.server = server
        self.timeout = timeout
        self.attempts = attempts
    }

    /// Registers this host's `port` as a member of `meshName` (fire and forget; renew every 10 s).
    public func register(meshName: String, port: Int) async throws {
        let socket = try await DatagramSocket.bind(host: bindHost, port: 0) { _, _, _ in }
        await socket.sendAndWait(RendezvousMessage.register(meshName: meshName, port: UInt16(clamping: port)).encoded, to: server)
        await socket.close()
    }

    /// Registers `port` for `meshName` now and every `interval` until the task is cancelled.
    public func keepRegistered(meshName: String, port: Int, interval: Duration = .seconds(10)) async {
        while !Task.isCancelled {
            try? await register(meshName: meshName, port: port)
            try? await Task.sleep(for: interval)
        }
    }

    public func resolve(meshName: String) async throws -> [UDPAddress] {
        let (stream, continuation) = AsyncStream<[UDPAddress]>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let requestID = UInt64.random(in: 1 ... .max)
        let server = self.server
        let socket = try await DatagramSocket.bind(host: bindHost, port: 0) { bytes, from, _ in
            guard from == server, case .answer(requestID, let addresses) = RendezvousMessage(decoding: bytes) else { return }
            continuation.yield(addresses)
            continuation.finish()
        }
        let request = RendezvousMessage.resolve(requestID: requestID, meshName: meshName).encoded
        let loop = socket.channel.eventLoop
        var tasks: [Scheduled<Void>] = []
        for attempt in 0..<attempts {
            tasks.append(loop.scheduleTask(in: timeout * Int64(attempt)) { socket.send(request, to: server) })
        }
        tasks.append(loop.scheduleTask(in: timeout * Int64(attempts)) { continuation.finish() })
        var answer: [UDPAddress]?
        for await addresses in stream { answer = addresses }
        for task in tasks { task.cancel() }
        await socket.close()
        guard let answer else { throw MeshResolverError.noAnswer }
        return answer
    }

    /// A local address of the server's family.
    private var bindHost: String { server.family == .v6 ? "::" : "0.0.0.0" }
}
