import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import MeshplayTestSupport
import Netplay
@testable import NetplayNIO
import Testing

/// A person's client (`meshplay play`) that joined a room through a resolver is a member like a
/// bot: it registers under the room's own name, so a later newcomer hears of it and can punch
/// toward it, or be relayed to it, not only to the host.
@Suite struct PlayerMembershipTests {
    @Test func aPlayerInARoomFoundThroughAResolverRegistersAsAMember() async throws {
        try await OffThePool.wait {
            let server = try await RendezvousServer.start(host: "127.0.0.1", port: 0)
            let client = RendezvousClient(server: server.localAddress)
            let (host, _) = try await LoopbackRoomHost.arena()
            let registration = Task { await client.keepRegistered(names: RendezvousJoin.names(hosting: "arena"), port: Int(host.localAddress.port)) }
            let service = UDPNetplay(catalog: TestGames.catalog, meshSearchTimeout: .seconds(120))
            let handle = service.startPlayer(PlayerNodeRequest(
                name: "pat", mesh: .search(resolvers: ["\(server.localAddress)"], lan: false), room: "arena"))
            handle.send(.joinRoom("arena", password: nil, playerName: "pat", timeout: .seconds(120)))
            let player = try #require(await (handle as? UDPNodeHandle)?.waitUntilUp(), "the player's node did not start")
            let memberName = LobbyMesh.rendezvousName(ofRoom: "arena")
            var registered: [UDPAddress] = []
            let deadline = ContinuousClock.now + .seconds(120)
            while ContinuousClock.now < deadline {
                if player.mailbox.status?.room != nil {
                    registered = (try? await client.resolve(meshName: memberName)) ?? []
                    if registered.contains(player.localAddress) { break }
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            let inRoom = player.mailbox.status?.room?.settings.name
            handle.close()
            registration.cancel()
            await LoopbackRoomHost.close(host)
            await server.stop()
            #expect(inRoom == "arena", "the player never got into the room")
            #expect(registered.contains(player.localAddress), "the player is not registered under the room's name: \(registered)")
            #expect(registered.contains(host.localAddress), "the host registers under it too: \(registered)")
        }
    }
}

/// When the lobby introduces its probe socket to the resolvers.
@Suite struct IntroductionScheduleTests {
    @Test func atOnceASecondLaterThenEveryFiveSeconds() {
        var schedule = IntroductionSchedule()
        let start = ContinuousClock.now
        let asked = [0.0, 0.5, 1.0, 1.2, 2.5, 5.0, 6.3, 7.0, 11.0, 11.4].map { seconds in
            schedule.isDue(at: start + .milliseconds(Int(seconds * 1000)))
        }
        #expect(asked == [true, false, false, true, false, false, true, false, false, true])
    }
}

/// The LAN address a host registers as its local candidate.
@Suite struct LocalRouteTests {
    @Test func theRouteTowardAnAddressNamesTheAddressThisHostSendsFrom() throws {
        let loopback = try #require(UDPAddress(ipAddress: "127.0.0.1", port: 47000))
        #expect(UDPAddress.localRoute(toward: loopback) == UDPAddress(ipAddress: "127.0.0.1", port: 0))
        #expect(UDPAddress.localRoute(toward: try #require(UDPAddress(ipAddress: "::1", port: 47000))) == nil, "IPv4 only: IPv6 has no NAT to see past")
    }
}
