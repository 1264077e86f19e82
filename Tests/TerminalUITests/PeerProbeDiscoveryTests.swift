import Bots
import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import NIOCore
import Snake
import Testing
@testable import TerminalUI

/// A real room hosted by a bot in this process, known only as a `--peer` address, gets its
/// details and a measured ping from the lobby's room probe over the sealed mesh (loopback only).
@Suite struct PeerProbeDiscoveryTests {
    @Test func aPeerAddressIsProbedForItsRoomAndPing() async throws {
        let (host, map) = try await LoopbackRoomHost.arena()
        let port = host.localAddress.port ?? 0
        // Bounded waits throughout: with the whole suite on two cores the pool can be slow to come round.
        let created = ContinuousClock.now + .seconds(40)
        while ContinuousClock.now < created, await host.roomSummary() == nil { try await Task.sleep(for: .milliseconds(20)) }
        let discovery = RoomDiscovery(RoomDiscovery.Places(
            lan: nil, resolver: nil, peers: [try HostPort(parsing: "127.0.0.1:\(port)")], meshName: UDPBotShell.lobbyMeshName),
            pause: .milliseconds(50))
        var directory = RoomDirectory()
        let listed = ContinuousClock.now + .seconds(40)
        while ContinuousClock.now < listed, directory.rooms.first?.pingMilliseconds == nil {
            directory = discovery.directory
            try await Task.sleep(for: .milliseconds(50))
        }
        discovery.stop()
        let stillHosting = await host.roomSummary()
        await host.close()
        let room = try #require(directory.rooms.first)
        #expect(LoopbackRoomHost.isArena(room, map: map, port: port), "\(room)")
        #expect(room.source == "--peer")
        let ping = try #require(room.pingMilliseconds)
        #expect(ping >= 0 && ping < 1000)
        // Probing joined nothing: the host's room still has only the host.
        #expect(stillHosting?.memberCount == 1)
    }
}
