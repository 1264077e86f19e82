import Foundation
import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import NIOCore
import NIOPosix
import Testing
@testable import MeshTransportNIO

/// Real UDP, loopback only.
@Suite struct RendezvousLoopbackTests {
    @Test func nodesFindEachOtherThroughARendezvousNodeAndFormAMesh() async throws {
        try await OffThePool.wait {
            // Registrations outlive the test however loaded the machine is (members here register
            // once; real ones renew every 10 s within the 30 s default).
            let server = try await RendezvousServer.start(
                host: "127.0.0.1", port: 0, registry: RendezvousRegistry(lifetime: .seconds(3600)))
            // Patient: under a full parallel test run a debug build may take over a second to answer.
            let client = RendezvousClient(server: server.localAddress, timeout: .seconds(1), attempts: 5)
            var entropy = SystemEntropy()
            var nodes: [UDPDriver<MeshNode<UDPAddress>>] = []
            let received = ReceivedMessages()
            for _ in 0..<4 {
                let identity = NodeIdentity(entropy: &entropy)
                let node = try await UDPDriver.bind(
                    host: "127.0.0.1", port: 0, identity: identity, credentials: testCredentials,
                    core: { MeshNode(identity: identity) }, onEvents: { events in received.add(events) })
                // Each newcomer asks the rendezvous node, joins whoever is there, then registers itself.
                let found = try await client.resolve(meshName: testCredentials.meshName)
                #expect(found.count == nodes.count)
                node.withCore { mesh, _, _, output in mesh.join(via: found, into: &output) }
                nodes.append(node)
                // Registration is one unacknowledged datagram (real members renew it every 10 s), so a
                // loaded machine may need it again: renew until the rendezvous node lists this member.
                var listed = false
                let deadline = ContinuousClock.now + .seconds(20)
                while !listed, ContinuousClock.now < deadline {
                    // A round trip that times out on a loaded machine is tried again, as a real member would.
                    try? await client.register(meshName: testCredentials.meshName, port: Int(node.localAddress.port))
                    try await Task.sleep(for: .milliseconds(50))
                    listed = (try? await client.resolve(meshName: testCredentials.meshName))?.count == nodes.count
                }
                #expect(listed, "member \(nodes.count) was never listed")
            }
            let expected = nodes.map(\.peerID).sorted()
            var agreed = false
            for _ in 0..<100 where !agreed {
                try await Task.sleep(for: .milliseconds(50))
                var views: [[PeerID]] = []
                for node in nodes { views.append(try await node.withCore { mesh, _, _, _ in mesh.members }.get()) }
                agreed = views.allSatisfy { $0 == expected }
            }
            #expect(agreed)
            #expect(try await client.resolve(meshName: testCredentials.meshName).count == 4)
            #expect(try await client.resolve(meshName: "another mesh").isEmpty)

            // And a message crosses the mesh found this way.
            let target = nodes[3].peerID
            let sent = try await nodes[0].withCore { mesh, endpoint, _, _ in mesh.send([42], channel: 1, to: target, reliable: true, endpoint: &endpoint) }.get()
            #expect(sent == .direct)
            var got = false
            for _ in 0..<200 where !got {
                try await Task.sleep(for: .milliseconds(10))
                got = received.contains(.message(from: nodes[0].peerID, channel: 1, bytes: [42], reliable: true))
            }
            #expect(got)
            for node in nodes { await node.close() }
            await server.stop()
        }
    }

    /// Hole punching over real sockets: a joiner's introduction reaches the registered host's
    /// registering client as a punch toward the joiner's game port, and the host's game socket
    /// sends that address one 4-byte datagram.
    @Test func anIntroductionMakesTheRegisteredHostPunchTowardTheJoiner() async throws {
        try await OffThePool.wait {
            let server = try await RendezvousServer.start(host: "127.0.0.1", port: 0)
            let client = RendezvousClient(server: server.localAddress, timeout: .seconds(1), attempts: 5)
            // The joiner's game socket: it records what reaches it.
            let heard = ReceivedDatagrams()
            let joinerGame = try await DatagramSocket.bind(host: "127.0.0.1", port: 0) { bytes, from, _ in heard.add(bytes, from: from) }
            let joinerPort = try #require(joinerGame.localAddress?.port)
            var entropy = SystemEntropy()
            let identity = NodeIdentity(entropy: &entropy)
            let host = try await UDPDriver.bind(
                host: "127.0.0.1", port: 0, identity: identity, credentials: testCredentials,
                core: { MeshNode(identity: identity) }, onEvents: { _ in })
            let punched = ReceivedDatagrams()
            let registration = Task {
                await client.keepRegistered(names: ["room"], port: Int(host.localAddress.port)) { datagram in
                    punched.add(datagram.bytes, from: datagram.destination)
                    host.sendCleartext(datagram.bytes, to: datagram.destination)
                }
            }
            // Introduce (as a joiner's lookup does every 2 s) until the host is listed and has punched.
            // Patient: in a full parallel run, tests that wait on processes can hold the few threads
            // async work resumes on for minutes; a healthy run is done in well under a second.
            let deadline = ContinuousClock.now + .seconds(300)
            while heard.isEmpty, ContinuousClock.now < deadline {
                try await client.lookup(names: ["room"], for: .milliseconds(300), introducingPort: UInt16(joinerPort), onFound: { _ in })
            }
            registration.cancel()
            let joinerAddress = UDPAddress(ipAddress: "127.0.0.1", port: Int(joinerPort))!
            #expect(punched.senders.first == joinerAddress, "the host was asked to punch toward the joiner's game port")
            #expect(heard.datagrams.first == MeshEndpoint<UDPAddress>.punchDatagram, "the punch is four bytes")
            #expect(heard.senders.first == host.localAddress, "and leaves from the host's game socket, whose NAT mapping it opens")
            let sent = try await host.withEndpoint { $0.counters.punchesSent }.get()
            #expect(sent >= 1)
            await joinerGame.close()
            await host.close()
            await server.stop()
        }
    }

    @Test func lanAnnouncementsAreHeardOnLoopback() async throws {
        try await OffThePool.wait {
            // A listener on a free loopback port, and an announcer aimed at it (never a real broadcast).
            let probe = try await DatagramSocket.bind(host: "127.0.0.1", port: 0) { _, _, _ in }
            let port = Int(probe.localAddress?.port ?? 0)
            await probe.close()
            let announcer = try await LANAnnouncer.start(
                LANAnnouncement(meshName: "lan-mesh", locked: true, port: 45123), interval: .milliseconds(100),
                destination: UDPAddress(ipAddress: "127.0.0.1", port: port), bindHost: "127.0.0.1")
            let discovery = LANDiscovery(host: "127.0.0.1", port: port, listenFor: .milliseconds(600))
            let meshes = try await discovery.browse()
            await announcer.stop()
            #expect(meshes.map(\.announcement) == [LANAnnouncement(meshName: "lan-mesh", locked: true, port: 45123)])
            #expect(meshes.first?.address == UDPAddress(ipAddress: "127.0.0.1", port: 45123))
        }
    }

    @Test func staticResolverParsesHostPorts() async throws {
        let resolver = try StaticResolver(peers: ["127.0.0.1:4000", "[::1]:4001"])
        #expect(try await resolver.resolve(meshName: "any").map(\.port) == [4000, 4001])
        #expect(throws: MeshResolverError.self) { try StaticResolver(peers: ["127.0.0.1"]) }
        #expect(throws: MeshResolverError.self) { try StaticResolver(peers: ["::1:80"]) }
        #expect(throws: MeshResolverError.self) { try StaticResolver(peers: ["host:0"]) }
    }

    @Test func rendezvousRegistryExpiresAndStaysBounded() throws {
        var registry = RendezvousRegistry(lifetime: .seconds(30), maxMeshes: 2, maxAddressesPerMesh: 2)
        let t0 = Timestamp.milliseconds(1000)
        let a = try #require(UDPAddress(ipAddress: "127.0.0.1", port: 1))
        let b = try #require(UDPAddress(ipAddress: "127.0.0.1", port: 2))
        let c = try #require(UDPAddress(ipAddress: "127.0.0.1", port: 3))
        registry.register(meshName: "m", address: a, at: t0)
        registry.register(meshName: "m", address: b, at: t0)
        registry.register(meshName: "m", address: c, at: t0)
        #expect(registry.resolve(meshName: "m", at: t0) == [c, b])
        registry.register(meshName: "n", address: a, at: t0)
        registry.register(meshName: "o", address: a, at: t0)
        #expect(registry.meshCount == 2)
        registry.register(meshName: "m", address: b, at: t0 + .seconds(20))
        #expect(registry.resolve(meshName: "m", at: t0 + .seconds(31)) == [b])
        #expect(registry.resolve(meshName: "m", at: t0 + .seconds(51)) == [])
    }

    @Test func rendezvousAnswersAreNeverLargerThanRequests() throws {
        let many = (1...100).map { UDPAddress(ipAddress: "::1", port: $0)! }
        let request = RendezvousMessage.resolve(requestID: 7, meshName: "m").encoded
        let answer = RendezvousMessage.answer(requestID: 7, addresses: many).encoded
        #expect(answer.count <= request.count)
        guard case .answer(7, let decoded)? = RendezvousMessage(decoding: answer) else { Issue.record("no answer"); return }
        #expect(decoded == Array(many.prefix(decoded.count)))
        #expect(RendezvousMessage(decoding: Array(request.prefix(40))) == nil)
    }
}

/// LAN announcements with details (version 2) stay readable by version-1 listeners.
@Suite struct LANAnnouncementVersionTests {
    @Test func detailsRideInVersionTwoAfterAVersionOneDatagram() throws {
        let plain = LANAnnouncement(meshName: "m", locked: false, port: 4000)
        #expect(plain.datagrams == [plain.encoded])
        #expect(plain.encoded[4] == 1)
        let rich = LANAnnouncement(meshName: "m", locked: false, port: 4000, details: [1, 2, 3])
        #expect(rich.datagrams.count == 2)
        #expect(rich.datagrams[0] == plain.encoded, "the first datagram is exactly what version-1 builds read")
        #expect(rich.datagrams[1][4] == 2)
        #expect(LANAnnouncement(decoding: rich.datagrams[1]) == rich)
        #expect(LANAnnouncement(decoding: rich.datagrams[0]) == plain)
    }

    @Test func hostileAnnouncementsAreDropped() {
        let full = LANAnnouncement(meshName: String(repeating: "n", count: 64), locked: true, port: 1,
                                   details: [UInt8](repeating: 7, count: 999))
        #expect(full.details.count == LANAnnouncement.maxDetailsBytes)
        #expect(full.encoded.count <= LANAnnouncement.maxEncodedBytes)
        #expect(LANAnnouncement(decoding: full.encoded) == full)
        let bytes = LANAnnouncement(meshName: "m", locked: false, port: 4000, details: [9]).encoded
        for cut in 0 ..< bytes.count { #expect(LANAnnouncement(decoding: Array(bytes.prefix(cut))) == nil) }
        #expect(LANAnnouncement(decoding: bytes + [0]) == nil)
        var version3 = bytes
        version3[4] = 3
        #expect(LANAnnouncement(decoding: version3) == nil)
        #expect(LANAnnouncement(decoding: [UInt8](repeating: 0, count: 2000)) == nil)
    }
}

/// Mesh events collected from the drivers' loops.
final class ReceivedMessages: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [MeshEvent] = []

    func add(_ new: [MeshEvent]) {
        lock.lock()
        events += new
        lock.unlock()
    }

    func contains(_ event: MeshEvent) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return events.contains(event)
    }
}

/// Datagrams a test socket heard, from any thread.
final class ReceivedDatagrams: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [(bytes: [UInt8], from: UDPAddress)] = []

    func add(_ bytes: [UInt8], from: UDPAddress) { lock.withLock { entries.append((bytes, from)) } }
    var isEmpty: Bool { lock.withLock { entries.isEmpty } }
    var datagrams: [[UInt8]] { lock.withLock { entries.map(\.bytes) } }
    var senders: [UDPAddress] { lock.withLock { entries.map(\.from) } }
}
