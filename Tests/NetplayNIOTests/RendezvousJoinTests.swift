import Bots
import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import MeshplayTestSupport
import Netplay
import NetplayNIO
import Testing

/// How a room is found by name at a rendezvous node: under its own name (sans-I/O, virtual
/// time) whatever floods the lobby name, and again later when its host registers late
/// (real nodes on loopback UDP).
@Suite struct RendezvousJoinTests {
    /// Carries client datagrams to a rendezvous service and its replies back, over virtual time.
    struct Resolver {
        var service = RendezvousService(secret: [UInt8](repeating: 3, count: 32))
        var now = Timestamp.milliseconds(1_000_000)

        mutating func run(_ registrar: inout RendezvousRegistrar, from source: UDPAddress) {
            var queue = registrar.tick(at: now)
            while !queue.isEmpty {
                guard let reply = service.receive(queue.removeFirst(), from: source, at: now) else { continue }
                queue += registrar.receive(reply, at: now)
            }
        }

        mutating func run(_ lookup: inout RendezvousLookup, from source: UDPAddress) {
            for request in lookup.tick(at: now) {
                if let reply = service.receive(request, from: source, at: now) { _ = lookup.receive(reply) }
            }
        }
    }

    /// 40 hosts (distinct IPs, so quotas per source do not bound them) register under the
    /// shared lobby name every 0.5 s, from before the room's host starts: the host is pushed
    /// out of the lobby name, yet a joiner by room name finds it at once under the room's own name.
    @Test func aRoomRegisteredUnderItsOwnNameIsFoundWhileTheLobbyNameIsFlooded() async throws {
        try await OffThePool.wait {
            var resolver = Resolver()
            let host = try #require(UDPAddress(ipAddress: "10.0.0.7", port: 5555))
            var registrar = RendezvousRegistrar(names: RendezvousJoin.names(hosting: "arena"), port: 4000, nonce: 1)
            var flood = (0..<40).map { index in
                var registrar = RendezvousRegistrar(names: [LobbyMesh.name], port: 4000, nonce: UInt64(100 + index))
                registrar.renewInterval = .milliseconds(500)
                return registrar
            }
            for step in 0..<30 {
                if step % 20 == 10 { resolver.run(&registrar, from: host) }
                for index in flood.indices { resolver.run(&flood[index], from: UDPAddress(ipAddress: "198.51.100.\(index + 1)", port: 40000)!) }
                resolver.now = resolver.now + .milliseconds(500)
            }
            var registry = resolver.service.registry
            #expect(!registry.resolve(meshName: LobbyMesh.name, at: resolver.now).contains(host.withPort(4000)),
                    "the flood does hide the room under the lobby name")
            var lookup = RendezvousLookup(names: RendezvousJoin.names(joining: "arena"), from: resolver.now,
                                          until: resolver.now + .seconds(10), requestIDs: 1 << 50)
            resolver.run(&lookup, from: try #require(UDPAddress(ipAddress: "10.0.0.9", port: 6000)))
            #expect(lookup.found.first == host.withPort(4000), "the room's own name is asked first, and answers")
        }
    }

    @Test func roomNamesFitTheProtocolAndAreCutOnACharacterBoundary() {
        #expect(LobbyMesh.rendezvousName(ofRoom: "arena") == "meshplay-lobby/room/arena")
        let long = String(repeating: "é", count: 24)  // 48 bytes, the longest room name
        let name = LobbyMesh.rendezvousName(ofRoom: long)
        #expect(name.utf8.count == 64)
        #expect(name == "meshplay-lobby/room/" + String(repeating: "é", count: 22))
        #expect(RendezvousJoin.names(joining: "arena") == ["meshplay-lobby/room/arena", "meshplay-lobby"])
    }

    /// A joiner found only an address that never answers (what a flood leaves); the host
    /// starts and registers 3 s later. Asking again every 2 s, the joiner gets into the room.
    @Test func aJoinerAsksAgainAndGetsInWhenTheHostRegistersLate() async throws {
        try await OffThePool.wait {
            let server = try await RendezvousServer.start(host: "127.0.0.1", port: 0)
            let client = RendezvousClient(server: server.localAddress)
            let silent = try await DatagramHole.open()
            let plan = BotPlan(name: "late-joiner", role: .join(room: "arena"), joinTimeout: .seconds(60))
            let joiner = try await UDPNode.start(
                host: "127.0.0.1", port: 0, bootstrap: [silent.address], catalog: TestGames.catalog,
                input: { BotBrainInput(skill: .easy) }, pilot: { BotPilot(plan: plan) }, publishesSnapshots: false)
            let search = Task { await RendezvousJoin.keepResolving(room: "arena", at: client, for: .seconds(60), into: [joiner]) }
            try await Task.sleep(for: .seconds(3))
            let (host, _) = try await LoopbackRoomHost.arena()
            let registration = Task { await client.keepRegistered(names: RendezvousJoin.names(hosting: "arena"), port: Int(host.localAddress.port)) }
            let deadline = ContinuousClock.now + .seconds(90)
            while ContinuousClock.now < deadline, joiner.mailbox.status?.room == nil {
                try await Task.sleep(for: .milliseconds(50))
            }
            let room = joiner.mailbox.status?.room
            registration.cancel()
            search.cancel()
            await LoopbackRoomHost.close(joiner)
            await LoopbackRoomHost.close(host)
            await silent.close()
            await server.stop()
            #expect(room != nil, "the joiner never got into the room its host registered late")
        }
    }
}

/// A loopback port that takes datagrams and never answers (a flood's fake member).
struct DatagramHole {
    let address: UDPAddress
    let close: @Sendable () async -> Void

    static func open() async throws -> DatagramHole {
        let server = try await RendezvousServer.start(host: "127.0.0.1", port: 0)
        // A rendezvous node answers no mesh hello: as silent as a fake member.
        return DatagramHole(address: server.localAddress, close: { await server.stop() })
    }
}
