import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import Netplay
import NetplayNIO
import Testing

/// A real room hosted by a bot node in this process, known only as a `--peer` address, gets
/// its details and a measured ping from the lobby's room search (its probe over the sealed
/// mesh, loopback only).
@Suite struct PeerProbeDiscoveryTests {
    @Test func aPeerAddressIsProbedForItsRoomAndPing() async throws {
        try await OffThePool.wait {
            let (host, map) = try await LoopbackRoomHost.arena()
            let port = Int(host.localAddress.port)
            // Bounded waits throughout: with the whole suite on two cores the pool can be slow to come round.
            _ = try #require(try await LoopbackRoomHost.advert(of: host), "the host's room exists")
            let search = UDPRoomSearch(RoomPlaces(lan: false, resolvers: [], peers: [try HostPort(parsing: "127.0.0.1:\(port)")]),
                                       pause: .milliseconds(50))
            var directory = search.directory
            let listed = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < listed, directory.rooms.first?.pingMilliseconds == nil {
                directory = search.directory
                try await Task.sleep(for: .milliseconds(50))
            }
            search.stop()
            let stillHosting = host.mailbox.status?.room
            await LoopbackRoomHost.close(host)
            let room = try #require(directory.rooms.first)
            #expect(LoopbackRoomHost.isArena(room, map: map, port: port), "\(room)")
            #expect(room.source == "--peer")
            let ping = try #require(room.pingMilliseconds)
            #expect(ping >= 0 && ping < 1000)
            #expect(directory.note == "--peer: 1 address")
            // Probing joined nothing: the host's room still has only the host.
            #expect(stillHosting?.members.count == 1)
        }
    }
}
