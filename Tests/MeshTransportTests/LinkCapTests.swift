import MeshplayCore
import Testing
@testable import MeshTransport

/// A stranger cannot take every place: links are capped in total and per source host. At the
/// host cap a new peer's handshake gets no answer; at the total cap it closes an unprotected
/// link of the host holding the most, so a flood cannot keep a newcomer out.
@Suite struct LinkCapTests {
    /// Endpoints on made-up UDP addresses, with datagrams carried between them by hand.
    struct Wire {
        var endpoints: [MeshEndpoint<UDPAddress>] = []
        var addresses: [UDPAddress] = []
        var queue: [(to: UDPAddress, from: UDPAddress, bytes: [UInt8])] = []
        var now = Timestamp.milliseconds(1000)

        mutating func add(_ host: String, port: Int, configure: (inout LinkConfiguration) -> Void = { _ in }) -> Int {
            var entropy = SeededEntropy(seed: UInt64(endpoints.count + 1))
            var configuration = LinkConfiguration()
            configure(&configuration)
            endpoints.append(MeshEndpoint(identity: NodeIdentity(entropy: &entropy), credentials: testCredentials,
                                          configuration: configuration, entropy: entropy))
            addresses.append(UDPAddress(ipAddress: host, port: port)!)
            return endpoints.count - 1
        }

        mutating func post(_ output: EndpointOutput<UDPAddress>, from index: Int) {
            for datagram in output.datagrams { queue.append((datagram.address, addresses[index], datagram.bytes)) }
        }

        mutating func connect(_ index: Int, to other: Int) {
            var output = EndpointOutput<UDPAddress>()
            endpoints[index].connect(to: addresses[other], at: now, into: &output)
            post(output, from: index)
        }

        /// Delivers until nothing is in flight.
        mutating func settle() {
            while !queue.isEmpty {
                let datagram = queue.removeFirst()
                guard let index = addresses.firstIndex(of: datagram.to) else { continue }
                var output = EndpointOutput<UDPAddress>()
                endpoints[index].receive(datagram.bytes, from: datagram.from, at: now, into: &output)
                endpoints[index].flush(at: now, into: &output)
                post(output, from: index)
            }
        }
    }

    @Test func linksFromOneHostStopAtItsCapWhileOtherHostsStillGetIn() throws {
        var wire = Wire()
        let server = wire.add("10.0.0.1", port: 4000) { $0.maxLinksPerHost = 3; $0.maxLinks = 5 }
        let crowd = (0 ..< 5).map { wire.add("10.0.0.2", port: 5000 + $0) }
        for client in crowd { wire.connect(client, to: server) }
        wire.settle()
        #expect(wire.endpoints[server].connectedPeers.count == 3, "one host holds at most 3 links")
        #expect(wire.endpoints[server].counters.initiationsRefusedAtCap == 2)
        let others = (0 ..< 3).map { wire.add("10.0.0.\(3 + $0)", port: 6000) }
        for client in others { wire.connect(client, to: server) }
        wire.settle()
        #expect(wire.endpoints[server].connectedPeers.count == 5, "the total cap holds")
        let admitted = wire.endpoints[server].connectedPeers
        #expect(others.allSatisfy { admitted.contains(wire.endpoints[$0].peerID) }, "every newcomer got in")
        #expect(wire.endpoints[server].counters.linksEvictedAtCap == 1)
        #expect(!admitted.contains(wire.endpoints[crowd[0]].peerID), "the crowd's oldest link made room")
        #expect(crowd[1...2].allSatisfy { admitted.contains(wire.endpoints[$0].peerID) })
    }

    @Test func protectedLinksSurviveTheTotalCap() throws {
        var wire = Wire()
        let server = wire.add("10.0.0.1", port: 4000) { $0.maxLinks = 3 }
        let members = (0 ..< 3).map { wire.add("10.0.0.\(2 + $0)", port: 5000) }
        for client in members { wire.connect(client, to: server) }
        wire.settle()
        wire.endpoints[server].protect(members.map { wire.endpoints[$0].peerID })
        let stranger = wire.add("10.0.0.9", port: 5000)
        wire.connect(stranger, to: server)
        wire.settle()
        #expect(wire.endpoints[server].connectedPeers == members.map { wire.endpoints[$0].peerID }.sorted())
        #expect(wire.endpoints[server].counters.initiationsRefusedAtCap == 1)
        // One member no longer protected (it left the room, say): the stranger takes its place.
        wire.endpoints[server].protect(members.dropFirst().map { wire.endpoints[$0].peerID })
        let newcomer = wire.add("10.0.0.10", port: 5000)
        wire.connect(newcomer, to: server)
        wire.settle()
        #expect(wire.endpoints[server].connectedPeers.contains(wire.endpoints[newcomer].peerID))
        #expect(!wire.endpoints[server].connectedPeers.contains(wire.endpoints[members[0]].peerID))
    }
}
