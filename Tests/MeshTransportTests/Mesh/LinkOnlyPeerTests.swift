import MeshplayCore
import Testing
@testable import MeshTransport

/// A peer that links to a member with the mesh's credentials but never sends its membership
/// record (the lobby's room probe): not a member anywhere, and relays never go through it.
@Suite struct LinkOnlyPeerTests {
    @Test func aLinkOnlyPeerIsNoMemberAndCarriesNoRelayedCopies() {
        var (mesh, nodes) = joinedMesh(count: 3, seed: 5)
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
        let (a, c) = (nodes[0], nodes[2])
        let peerC = mesh.peerID(c)
        // Added to the network only: its endpoint answers handshakes, no mesh node drives it.
        let prober = mesh.network.addNode(credentials: testCredentials)
        let proberPeer = mesh.network.peerID(prober)
        mesh.network.connect(prober, to: a)
        #expect(mesh.run(atMost: .seconds(5)) { $0.network.nodes[Int(a.node)].connectedPeers.contains(proberPeer) } != nil)
        for node in nodes { _ = mesh.takeEvents(node) }

        // A loses its direct link to C: its messages to C are relayed, through B only.
        mesh.network.partition([a], [c], from: mesh.now, until: mesh.now + .seconds(3600))
        mesh.run(for: LinkConfiguration().linkTimeout + .milliseconds(500))
        #expect(!mesh.network.nodes[Int(a.node)].connectedPeers.contains(peerC))
        _ = mesh.network.takeEvents(prober)
        for index in 0..<20 {
            #expect(mesh.send(messageBody(index, stream: 1), channel: 7, from: a, to: peerC, reliable: true) == .relayed)
            mesh.run(for: .milliseconds(20))
        }
        mesh.run(for: .seconds(1))
        #expect(mesh.takeEvents(c).payloads(channel: 7).count == 20)
        let atProber = mesh.network.takeEvents(prober).filter {
            if case .message(_, let channel, _, _) = $0 { channel == MeshChannel.relayReliable || channel == MeshChannel.relayUnreliable } else { false }
        }
        #expect(atProber.count == 0, "relayed copies went through the link-only peer")
        #expect(mesh.network.nodes[Int(a.node)].connectedPeers.contains(proberPeer))
        for node in nodes {
            #expect(!mesh.nodes[Int(node.node)].members.contains(proberPeer))
            #expect(mesh.nodes[Int(node.node)].membership.status(of: proberPeer) == nil)
        }
    }
}
