import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import MeshplayTestSupport
import Netplay
import NetplayNIO
import Snake
import Testing

/// A room whose host no path reaches from the lobby (a symmetric NAT between) is still listed
/// by name: its host attached its signed advert to its registration, and the lobby asks the
/// resolver for it when the probe finds no way through.
@Suite struct UnreachedRoomListingTests {
    @Test func aHostNoPathReachesIsListedFromWhatItAttachedAtTheResolver() async throws {
        try await OffThePool.wait {
            let server = try await RendezvousServer.start(host: "127.0.0.1", port: 0)
            // The "host": a port that answers nothing, as one behind a symmetric NAT looks from here.
            let silent = try await DatagramHole.open()
            var entropy = SeededEntropy(seed: 41)
            let identity = NodeIdentity(entropy: &entropy)
            let advert = RoomAdvert(roomName: "attic", game: SnakeRules.identity, map: "Open Field", memberCount: 1, playerCap: 2,
                                    locked: false, isRunning: false, host: identity.peerID)
            let signed = advert.encoded(signedBy: identity)
            let registration = Task {
                await RendezvousClient(server: server.localAddress).keepRegistered(
                    names: [LobbyMesh.name], port: Int(silent.address.port), details: { signed })
            }
            let places = RoomPlaces(lan: false, resolvers: [try HostPort(parsing: "\(server.localAddress)")], peers: [])
            var listed: RoomListing?
            let deadline = ContinuousClock.now + .seconds(120)
            while listed == nil, ContinuousClock.now < deadline {
                listed = await UDPRoomSearch.once(places).rooms.first { $0.name == "attic" }
            }
            registration.cancel()
            await silent.close()
            await server.stop()
            let room = try #require(listed, "the room was never listed by name")
            #expect(room.roomID == advert.roomID)
            #expect(room.players == 1 && room.capacity == 2 && room.game == "snake")
            #expect(room.address == silent.address.description)
            #expect(!room.isReached && room.pingMilliseconds == nil && room.path == nil, "no path reached it: \(room)")
            #expect(room.resolver == "\(server.localAddress)", "joined through the resolver that described it")
        }
    }

    /// Details that are not a signed advert are dropped, not guessed at (as a bad LAN advert is):
    /// the member's row is not listed at all, and nothing of what it attached reaches the screen.
    @Test func detailsThatAreNotASignedAdvertAreNotListed() async throws {
        try await OffThePool.wait {
            let server = try await RendezvousServer.start(host: "127.0.0.1", port: 0)
            let silent = try await DatagramHole.open()
            let client = RendezvousClient(server: server.localAddress)
            let registration = Task {
                await client.keepRegistered(names: [LobbyMesh.name], port: Int(silent.address.port), details: { Array("\u{1B}[2J forged room".utf8) })
            }
            var registered = false
            let deadline = ContinuousClock.now + .seconds(60)
            while !registered, ContinuousClock.now < deadline {
                registered = ((try? await client.resolve(meshName: LobbyMesh.name)) ?? []).contains(silent.address)
                try await Task.sleep(for: .milliseconds(50))
            }
            // The details follow the registered reply: give them a moment, then ask as a lobby does.
            try await Task.sleep(for: .milliseconds(300))
            let directory = await UDPRoomSearch.once(RoomPlaces(lan: false, resolvers: [try HostPort(parsing: "\(server.localAddress)")], peers: []))
            registration.cancel()
            await silent.close()
            await server.stop()
            #expect(registered, "the member never registered")
            #expect(directory.rooms.isEmpty, "\(directory.rooms)")
            #expect(directory.sources.first?.outcome == .members(1))
        }
    }
}
