import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import MeshplayTestSupport
import Netplay
import NetplayNIO
import Testing

/// A real room, hosted by a bot node in this process and announced on loopback, reaches the
/// lobby's room search. Loopback only: the announcer aims at the listener's port, never a broadcast.
@Suite struct LANLobbyDiscoveryTests {
    @Test func aRoomAnnouncedOnLoopbackIsListed() async throws {
        try await OffThePool.wait {
            let (host, map) = try await LoopbackRoomHost.arena()
            let port = Int(host.localAddress.port)
            // Generous but bounded: with the whole suite running on two cores the pool can be slow to come round.
            let advert = try #require(try await LoopbackRoomHost.advert(of: host), "the host's room exists")
            #expect(advert.roomName == "arena")
            let listenPort = try Self.freeUDPPort()
            let listener = try #require(UDPAddress(ipAddress: "127.0.0.1", port: listenPort) as UDPAddress?)
            let announcer = try await LANAnnouncer.start(interval: .milliseconds(100), destination: listener, bindHost: "127.0.0.1") {
                LANAnnouncement(meshName: LobbyMesh.name, locked: false, port: UInt16(port), details: host.mailbox.status?.advert?.encoded(signedBy: host.identity) ?? [])
            }
            let search = UDPRoomSearch(RoomPlaces(lan: true, resolvers: [], peers: []), pause: .milliseconds(50), lanHost: "127.0.0.1",
                                       lanPort: listenPort)
            var directory = search.directory
            #expect(directory.note == "LAN: looking…", "the lobby says where it looks before the first round")
            let listed = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < listed, directory.rooms.first?.pingMilliseconds == nil {
                directory = search.directory
                try await Task.sleep(for: .milliseconds(50))
            }
            search.stop()
            await announcer.stop()
            await LoopbackRoomHost.close(host)
            let room = try #require(directory.rooms.first)
            #expect(LoopbackRoomHost.isArena(room, map: map, port: port), "\(room)")
            #expect(room.source == "LAN")
            #expect(room.pingMilliseconds != nil, "the LAN row is probed for its ping")
            #expect(directory.note == "LAN: 1 room")
        }
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
