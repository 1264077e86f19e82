import MeshTransport
import NIOCore
import NIOPosix

/// A mesh seen on the LAN.
public struct LANMesh: Sendable, Equatable {
    /// What it announced.
    public var announcement: LANAnnouncement
    /// Where its node listens: the announcement's source IP with the announced port.
    public var address: UDPAddress
}

/// Broadcasts a ``LANAnnouncement`` every `interval` until stopped.
public final class LANAnnouncer: Sendable {
    private let socket: DatagramSocket
    private let task: RepeatedTask

    /// Starts announcing to `destination` (by default the IPv4 broadcast address on the
    /// well-known port; tests pass a loopback address).
    public static func start(
        _ announcement: LANAnnouncement, interval: TimeAmount = .seconds(1),
        destination: UDPAddress? = nil, bindHost: String = "0.0.0.0"
    ) async throws -> LANAnnouncer {
        try await start(interval: interval, destination: destination, bindHost: bindHost) { announcement }
    }

    /// Starts announcing whatever `current` returns at each interval (called on the event
    /// loop, so it must be quick: a room's advert changes as members come and go).
    public static func start(
        interval: TimeAmount = .seconds(1), destination: UDPAddress? = nil, bindHost: String = "0.0.0.0",
        current: @escaping @Sendable () -> LANAnnouncement
    ) async throws -> LANAnnouncer {
        let target = destination ?? UDPAddress(ipBytes: [255, 255, 255, 255], port: UInt16(LANAnnouncement.wellKnownPort))!
        let socket = try await DatagramSocket.bind(host: bindHost, port: 0, broadcast: true) { _, _, _ in }
        let task = socket.channel.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: interval) { _ in
            for bytes in current().datagrams { socket.send(bytes, to: target) }
        }
        return LANAnnouncer(socket: socket, task: task)
    }

    private init(socket: DatagramSocket, task: RepeatedTask) {
        self.socket = socket
        self.task = task
    }

    /// Stops announcing and closes the socket.
    public func stop() async {
        task.cancel()
        await socket.close()
    }
}

/// The LAN resolver: listens on the well-known port for a while and answers with the
/// addresses of the nodes that announced the mesh asked for.
public struct LANDiscovery: MeshResolver {
    /// Where to listen (default all IPv4 interfaces, the well-known port).
    public var host: String
    /// The port to listen on.
    public var port: Int
    /// How long to listen; announcements come every second, so a little more than that.
    public var listenFor: TimeAmount

    /// A LAN resolver.
    public init(host: String = "0.0.0.0", port: Int = LANAnnouncement.wellKnownPort, listenFor: TimeAmount = .milliseconds(1500)) {
        self.host = host
        self.port = port
        self.listenFor = listenFor
    }

    public func resolve(meshName: String) async throws -> [UDPAddress] {
        try await browse().filter { $0.announcement.meshName == meshName }.map(\.address)
    }

    /// Every mesh heard during ``listenFor``, in the order first heard (one entry per address,
    /// holding the newest announcement from it: a version-2 one with details replaces the
    /// version-1 one sent just before it).
    public func browse() async throws -> [LANMesh] {
        let (stream, continuation) = AsyncStream<LANMesh>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        // Several listeners on one host (two clients) share the well-known port.
        let socket = try await DatagramSocket.bind(host: host, port: port, sharesPort: true) { bytes, from, _ in
            guard let announcement = LANAnnouncement(decoding: bytes) else { return }
            continuation.yield(LANMesh(announcement: announcement, address: from.withPort(announcement.port)))
        }
        let deadline = socket.channel.eventLoop.scheduleTask(in: listenFor) { continuation.finish() }
        var found: [LANMesh] = []
        for await mesh in stream {
            if let index = found.firstIndex(where: { $0.address == mesh.address }) {
                found[index] = mesh
            } else if found.count < 1024 {
                // At most one entry per address: a busy LAN cannot grow this beyond the buffer bound.
                found.append(mesh)
            }
        }
        deadline.cancel()
        await socket.close()
        return found
    }
}
