import Bots
import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import NIOCore
import Snake
import Testing
@testable import TerminalUI

/// A real room, hosted by a bot in this process and announced on loopback, reaches the
/// lobby's discovery. Loopback only: the announcer aims at the listener's port, never a broadcast.
@Suite struct LANLobbyDiscoveryTests {
    @Test func aRoomAnnouncedOnLoopbackIsListed() async throws {
        let (host, map) = try await LoopbackRoomHost.arena()
        let port = host.localAddress.port ?? 0
        // A free loopback port for the listener.
        let listenPort = try Self.freeUDPPort()
        let advert = AdvertHolder()
        let announcer = try await LANAnnouncer.start(
            interval: .milliseconds(100), destination: try SocketAddress(ipAddress: "127.0.0.1", port: listenPort), bindHost: "127.0.0.1"
        ) {
            // The test reads the summary before starting; a bounded wait below makes sure it exists.
            LANAnnouncement(meshName: UDPBotShell.lobbyMeshName, locked: false, port: UInt16(port), details: advert.bytes)
        }
        // Generous but bounded: with the whole suite running on two cores the cooperative pool can be slow to come round.
        let deadline = ContinuousClock.now + .seconds(40)
        while ContinuousClock.now < deadline, advert.bytes.isEmpty {
            if let summary = await host.roomSummary() { advert.set(RoomAdvert(summary).encoded) }
            try await Task.sleep(for: .milliseconds(20))
        }
        let discovery = RoomDiscovery(RoomDiscovery.Places(
            lan: LANDiscovery(host: "127.0.0.1", port: listenPort, listenFor: .milliseconds(400)),
            resolver: nil, peers: [], meshName: UDPBotShell.lobbyMeshName), pause: .milliseconds(50))
        var directory = RoomDirectory()
        let listed = ContinuousClock.now + .seconds(40)
        while ContinuousClock.now < listed, directory.rooms.isEmpty {
            directory = discovery.directory
            try await Task.sleep(for: .milliseconds(50))
        }
        discovery.stop()
        await announcer.stop()
        await host.close()
        let room = try #require(directory.rooms.first)
        #expect(LoopbackRoomHost.isArena(room, map: map, port: port), "\(room)")
        #expect(directory.note == "LAN: 1 room")
    }

    static func freeUDPPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// The advert the test's announcer sends (set once the host's room exists).
private final class AdvertHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var value: [UInt8] = []
    var bytes: [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
    func set(_ bytes: [UInt8]) {
        lock.lock()
        defer { lock.unlock() }
        value = bytes
    }
}
