import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import MeshTransport

@Suite struct MeshRelayTests {
    @Test func partitionedMembersTalkThroughARelayWithoutDuplicatesThenLinkDirectlyAgain() async {
        await OffThePool.compute {
            var (mesh, nodes) = joinedMesh(count: 5, seed: 11, conditions: NetworkConditions(duplication: 0.1, reordering: 0.1))
            #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
            let (a, b) = (nodes[0], nodes[4])
            let (peerA, peerB) = (mesh.peerID(a), mesh.peerID(b))
            for node in nodes { _ = mesh.takeEvents(node) }
            let heal = mesh.now + .seconds(16)
            mesh.network.partition([a], [b], from: mesh.now, until: heal)
            // Wait until the direct link has timed out on both sides.
            mesh.run(for: LinkConfiguration().linkTimeout + .milliseconds(500))
            #expect(!mesh.network.nodes[Int(a.node)].connectedPeers.contains(peerB))

            for index in 0..<200 {
                let body = messageBody(index, stream: 1)
                #expect(mesh.send(body, channel: 7, from: a, to: peerB, reliable: true) == .relayed)
                #expect(mesh.send(Array(body.prefix(60)), channel: 8, from: b, to: peerA, reliable: false) == .relayed)
                mesh.run(for: .milliseconds(10))
            }
            mesh.run(for: .seconds(1))
            let atB = mesh.takeEvents(b)
            let atA = mesh.takeEvents(a)
            let reliableAtB = atB.payloads(channel: 7)
            let unreliableAtA = atA.payloads(channel: 8)
            #expect(Set(reliableAtB.map { $0 }).count == reliableAtB.count, "duplicates delivered")
            #expect(reliableAtB.count == 200)
            #expect(Set(unreliableAtA).count == unreliableAtA.count)
            #expect(unreliableAtA.count >= 190)
            print("relay: 200/200 reliable delivered once, \(unreliableAtA.count)/200 unreliable; B dropped \(mesh.nodes[Int(b.node)].relayCounters.duplicates) duplicate copies")
            #expect(atA.allSatisfy { if case .memberLost = $0 { false } else { true } })

            // After the partition heals, the reconnect attempts bring the direct link back and sends go direct.
            mesh.run(until: heal)
            let relinked = mesh.run(atMost: .seconds(10)) {
                $0.network.nodes[Int(a.node)].connectedPeers.contains(peerB) && $0.network.nodes[Int(b.node)].connectedPeers.contains(peerA)
            }
            print("relay: direct link back \(relinked.map { "\($0)" } ?? "never") after healing")
            #expect(relinked != nil)
            // Both ends may have dialled at once; let the handshake's tie-break settle on one link first.
            mesh.run(for: .seconds(1))
            #expect(mesh.send([1, 2, 3], channel: 7, from: a, to: peerB, reliable: true) == .direct)
            mesh.run(for: .milliseconds(200))
            #expect(mesh.takeEvents(b).payloads(channel: 7) == [[1, 2, 3]])
        }
    }

    @Test func aRelayThatAltersOrForgesAMessageIsDetectedAndTheMessageDropped() throws {
        var (mesh, nodes) = joinedMesh(count: 3, seed: 12)
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
        let (origin, relay, target) = (nodes[0], nodes[1], nodes[2])
        let identity = mesh.network.nodes[Int(origin.node)].identity
        let genuine = RelayEnvelope(
            hops: 4, reliable: true, origin: identity.peerID, target: mesh.peerID(target), messageID: 1_000,
            channel: 9, payload: Array("pay alice 10".utf8)
        ).sealed(by: identity)
        for node in nodes { _ = mesh.takeEvents(node) }

        // The relay alters the payload of a genuine envelope, then tries a message it signs itself as the origin.
        var altered = genuine
        altered[altered.count - 70] ^= 0x01
        let relayIdentity = mesh.network.nodes[Int(relay.node)].identity
        var forgedEnvelope = try #require(RelayEnvelope.parse(genuine, maxPayload: 100))
        forgedEnvelope.payload = Array("pay mallory 1000".utf8)
        forgedEnvelope.messageID = 1_001
        let forged = [UInt8](forgedEnvelope.sealed(by: relayIdentity))
        let peerTarget = mesh.peerID(target)
        mesh.withNode(relay) { _, endpoint, _, _ in
            #expect(endpoint.sendReliable(altered, channel: MeshChannel.relayReliable, to: peerTarget) == .queued)
            #expect(endpoint.sendReliable(forged, channel: MeshChannel.relayReliable, to: peerTarget) == .queued)
        }
        mesh.run(for: .milliseconds(200))
        #expect(mesh.takeEvents(target).payloads(channel: 9).isEmpty)
        #expect(mesh.nodes[Int(target.node)].relayCounters.badSignatures == 2)

        // The genuine envelope still gets through afterwards: the altered copy did not burn its id.
        mesh.withNode(relay) { _, endpoint, _, _ in
            _ = endpoint.sendReliable(genuine, channel: MeshChannel.relayReliable, to: peerTarget)
        }
        mesh.run(for: .milliseconds(200))
        #expect(mesh.takeEvents(target).payloads(channel: 9) == [Array("pay alice 10".utf8)])
    }

    @Test func sixtyFourNodesInAPartialMeshFloodToAllWithBoundedCopies() async {
        await OffThePool.compute {
            // Ticking 64 endpoints every 10 ms instead of 5 halves the cost of the 500-link full-mesh phase.
            var (mesh, nodes) = joinedMesh(count: 64, seed: 64, stagger: .milliseconds(25), networkTick: .milliseconds(10))
            let settled = mesh.run(atMost: .seconds(40), slice: .milliseconds(250)) { mesh in
                mesh.agreeOnMembers(nodes)
                    && nodes.allSatisfy { mesh.network.nodes[Int($0.node)].connectedPeers.count <= MeshConfiguration().partialNeighbours }
            }
            print("64 nodes: agreed and pruned to ≤ \(MeshConfiguration().partialNeighbours) links after \(settled.map { "\($0)" } ?? "never")")
            #expect(settled != nil)
            let degrees = nodes.map { mesh.network.nodes[Int($0.node)].connectedPeers.count }
            for node in nodes { _ = mesh.takeEvents(node) }
            let before = nodes.map { mesh.nodes[Int($0.node)].relayCounters.received }

            #expect(mesh.broadcast(Array("all hands".utf8), channel: 3, from: nodes[17], reliable: true) == .relayed)
            mesh.run(for: .milliseconds(500))
            var copies: [UInt64] = []
            for (index, node) in nodes.enumerated() where node != nodes[17] {
                #expect(mesh.takeEvents(node).payloads(channel: 3) == [Array("all hands".utf8)], "node \(index)")
                let received = mesh.nodes[index].relayCounters.received - before[index]
                copies.append(received)
                #expect(received <= UInt64(degrees[index]), "node \(index) got \(received) copies with \(degrees[index]) links")
            }
            print("64 nodes: degrees \(degrees.min()!)...\(degrees.max()!), copies received per node \(copies.min()!)...\(copies.max()!), mean \(Double(copies.reduce(0, +)) / Double(copies.count))")
        }
    }
}
