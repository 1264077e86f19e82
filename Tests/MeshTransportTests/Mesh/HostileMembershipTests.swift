import MeshplayCore
import Testing
@testable import MeshTransport

/// What a stranger, or a seated player, can do to a mesh with membership gossip: signed
/// records, introductions only by vouched peers (the open lobby), bounded dialling of the
/// members they introduce, and links to seated peers that the topology never prunes.
@Suite("Membership under fabricated records")
struct HostileMembershipTests {
    static var lobby: MeshConfiguration {
        var configuration = MeshConfiguration()
        configuration.introductions = .vouchedOnly
        return configuration
    }

    /// `count` nodes that link through node 0, then vouch for each other (one room's seats).
    static func seatedMesh(count: Int = 3, seed: UInt64, configuration: MeshConfiguration = lobby) -> (SimulatedMesh, [SimulatedAddress]) {
        var (mesh, nodes) = joinedMesh(count: count, seed: seed, mesh: configuration)
        mesh.run(for: .seconds(1))
        let peers = nodes.map { mesh.peerID($0) }
        for node in nodes { mesh.vouch(peers, at: node) }
        return (mesh, nodes)
    }

    /// A node with the mesh's credentials and no mesh node (it speaks only what the test makes
    /// it say), linked to `target`; and a third-party host that answers no handshake.
    static func addAttacker(to mesh: inout SimulatedMesh, linkedTo target: SimulatedAddress) -> (attacker: SimulatedAddress, victim: SimulatedAddress) {
        let attacker = mesh.network.addNode(credentials: testCredentials)
        let victim = mesh.network.addNode(credentials: MeshCredentials(meshName: "somebody-else"))
        mesh.network.connect(attacker, to: target)
        let targetPeer = mesh.peerID(target)
        _ = mesh.run(atMost: .seconds(5)) { $0.network.nodes[Int(attacker.node)].connectedPeers.contains(targetPeer) }
        return (attacker, victim)
    }

    /// `count` records of identities nobody runs, properly signed, that point at `victim`.
    static func fabricatedRecords(_ count: Int, pointingAt victim: SimulatedAddress, seed: UInt64) -> [MemberRecord<SimulatedAddress>] {
        var entropy = SeededEntropy(seed: seed)
        return (0..<count).map { _ in
            var record = MemberRecord<SimulatedAddress>(signedBy: NodeIdentity(entropy: &entropy), incarnation: 0, status: .alive)
            record.address = victim
            return record
        }
    }

    /// Sends membership bytes from a bare endpoint, as an attacker's own client would.
    static func say(_ records: [MemberRecord<SimulatedAddress>], from attacker: SimulatedAddress, to peer: PeerID, in mesh: inout SimulatedMesh) {
        let bytes = MembershipMessage(kind: .sync, records: records).encoded
        mesh.network.withNode(attacker) { endpoint, _, _ in _ = endpoint.sendReliable(bytes, channel: MeshChannel.membership, to: peer) }
    }

    static func ownRecord(of attacker: SimulatedAddress, in mesh: SimulatedMesh) -> MemberRecord<SimulatedAddress> {
        MemberRecord(signedBy: mesh.network.nodes[Int(attacker.node)].identity, incarnation: 0, status: .alive)
    }

    @Test func seatedPeersIntroduceEachOtherButALinkedStrangerStaysAStranger() {
        var (mesh, nodes) = joinedMesh(count: 3, seed: 41, mesh: Self.lobby)
        mesh.run(for: .seconds(2))
        // Linked through node 0, but nobody vouched: each is alone, and node 0 only knows two strangers.
        for node in nodes { #expect(mesh.nodes[Int(node.node)].members == [mesh.peerID(node)]) }
        #expect(mesh.nodes[0].announcedPeers == [mesh.peerID(nodes[1]), mesh.peerID(nodes[2])].sorted())
        #expect(!mesh.isFullyLinked(nodes))

        let peers = nodes.map { mesh.peerID($0) }
        for node in nodes { mesh.vouch(peers, at: node) }
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
    }

    @Test func fabricatedRecordsFromAStrangerChangeNothingAndMakeNobodyDial() {
        var (mesh, nodes) = Self.seatedMesh(seed: 42)
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
        let (attacker, victim) = Self.addAttacker(to: &mesh, linkedTo: nodes[0])
        for node in nodes { _ = mesh.takeEvents(node) }
        let fabricated = Self.fabricatedRecords(30, pointingAt: victim, seed: 7)
        // Forged records of the real members: `left` at a higher incarnation, signed by the wrong key.
        var forged: [MemberRecord<SimulatedAddress>] = []
        for node in nodes.dropFirst() {
            let real = mesh.nodes[0].membership.entries.first { $0.record.peer == mesh.peerID(node) }!.record
            var left = real
            left.incarnation += 5
            left.status = .left
            forged.append(left)
        }
        for _ in 0..<20 {
            Self.say([Self.ownRecord(of: attacker, in: mesh)] + fabricated + forged, from: attacker, to: mesh.peerID(nodes[0]), in: &mesh)
            mesh.run(for: .seconds(1))
        }
        let expected = nodes.map { mesh.peerID($0) }.sorted()
        for node in nodes {
            #expect(mesh.nodes[Int(node.node)].members == expected)
            #expect(mesh.nodes[Int(node.node)].membership.pendingIntroductions.isEmpty)
            let memberEvents = mesh.takeEvents(node).filter { if case .message = $0 { false } else { true } }
            #expect(memberEvents == (node == nodes[0] ? [.nodeAnnounced(mesh.network.peerID(attacker))] : []))
        }
        #expect(mesh.isFullyLinked(nodes))
        #expect(mesh.network.bytesSentTo[Int(victim.node)] == 0)
        #expect(mesh.nodes[0].announcedPeers == [mesh.network.peerID(attacker)])
    }

    @Test func theSameRecordsFromATrustedMemberWouldMakeItDial() {
        // The control: with `anyMember` (a password mesh, where every linked node is an insider)
        // the fabricated members count at once and are dialled, so the test above can fail.
        var (mesh, nodes) = Self.seatedMesh(seed: 43, configuration: MeshConfiguration())
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) } != nil)
        let (attacker, victim) = Self.addAttacker(to: &mesh, linkedTo: nodes[0])
        Self.say([Self.ownRecord(of: attacker, in: mesh)] + Self.fabricatedRecords(30, pointingAt: victim, seed: 7),
                 from: attacker, to: mesh.peerID(nodes[0]), in: &mesh)
        mesh.run(for: .seconds(3))
        #expect(mesh.nodes[0].members.count == 3 + 1 + 30)
        #expect(mesh.network.bytesSentTo[Int(victim.node)] > 0)
    }

    @Test func recordsNotSignedByTheirMemberAreIgnoredEvenFromAnInsider() {
        var (mesh, nodes) = Self.seatedMesh(seed: 44, configuration: MeshConfiguration())
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) } != nil)
        let (attacker, _) = Self.addAttacker(to: &mesh, linkedTo: nodes[0])
        mesh.run(for: .seconds(1))
        for node in nodes { _ = mesh.takeEvents(node) }
        let target = mesh.peerID(nodes[1])
        let real = mesh.nodes[0].membership.entries.first { $0.record.peer == target }!.record
        // `left` and a raised incarnation need the member's own signature: the attacker signs with its own key.
        var left = real
        left.incarnation += 9
        left.status = .left
        left.signature = mesh.network.nodes[Int(attacker.node)].identity.sign(
            MemberRecord<SimulatedAddress>.signedBytes(publicKey: real.publicKey, incarnation: left.incarnation, status: .left))
        var garbage = real
        garbage.incarnation += 10
        garbage.signature = [UInt8](repeating: 0xAB, count: 64)
        Self.say([Self.ownRecord(of: attacker, in: mesh), left, garbage], from: attacker, to: mesh.peerID(nodes[0]), in: &mesh)
        mesh.run(for: .seconds(2))
        #expect(mesh.nodes[0].membership.status(of: target) == .alive)
        #expect(mesh.nodes[0].membership.entries.first { $0.record.peer == target }!.record.incarnation == real.incarnation)
        #expect(!mesh.takeEvents(nodes[0]).contains(.memberLeft(target)))
    }

    @Test func aSeatedPlayersFabricationsAreDialledABoundedNumberOfTimesAndNeverCount() {
        var (mesh, nodes) = Self.seatedMesh(seed: 45)
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
        let (attacker, victim) = Self.addAttacker(to: &mesh, linkedTo: nodes[0])
        let attackerPeer = mesh.network.peerID(attacker)
        // Node 0 seats the attacker: its introductions count as introductions now.
        mesh.vouch(nodes.map { mesh.peerID($0) } + [attackerPeer], at: nodes[0])
        Self.say([Self.ownRecord(of: attacker, in: mesh)] + Self.fabricatedRecords(40, pointingAt: victim, seed: 9),
                 from: attacker, to: mesh.peerID(nodes[0]), in: &mesh)
        mesh.run(for: .milliseconds(200))
        let configuration = Self.lobby
        #expect(mesh.nodes[0].membership.pendingIntroductions.count == configuration.maxPendingIntroductions)
        #expect(mesh.nodes[0].members == (nodes.map { mesh.peerID($0) } + [attackerPeer]).sorted())
        // Each is dialled `introductionDials` times, `reconnectInterval` apart, then forgotten.
        mesh.run(for: configuration.reconnectInterval * Int64(configuration.introductionDials) + LinkConfiguration().connectTimeout)
        #expect(mesh.nodes[0].membership.pendingIntroductions.isEmpty)
        let reflected = mesh.network.bytesSentTo[Int(victim.node)]
        #expect(reflected > 0)
        mesh.run(for: .seconds(20))
        #expect(mesh.network.bytesSentTo[Int(victim.node)] == reflected, "dialling went on")
        #expect(mesh.nodes[0].members.count == 4)
    }

    /// A stranger's own record in every message, each at a higher incarnation, is checked
    /// once a second at most; relayed envelopes from a stranger are dropped unread.
    @Test func aStrangerCannotMakeANodeCheckSignaturesInALoop() {
        var (mesh, nodes) = Self.seatedMesh(seed: 47)
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) } != nil)
        let (attacker, _) = Self.addAttacker(to: &mesh, linkedTo: nodes[0])
        let identity = mesh.network.nodes[Int(attacker.node)].identity
        let attackerPeer = identity.peerID
        func kept(_ mesh: SimulatedMesh) -> UInt32? { mesh.nodes[0].membership.links.first { $0.peer == attackerPeer }?.ownRecord?.incarnation }
        for incarnation in 0..<100 {
            Self.say([MemberRecord(signedBy: identity, incarnation: UInt32(incarnation), status: .alive)],
                     from: attacker, to: mesh.peerID(nodes[0]), in: &mesh)
        }
        mesh.run(for: .milliseconds(200))
        #expect(kept(mesh) == 0, "only the first of 100 records in 200 ms was checked")
        mesh.run(for: .seconds(1))
        Self.say([MemberRecord(signedBy: identity, incarnation: 500, status: .alive)], from: attacker, to: mesh.peerID(nodes[0]), in: &mesh)
        mesh.run(for: .milliseconds(200))
        #expect(kept(mesh) == 500, "a second later the next one is")

        let before = mesh.nodes[0].relayCounters.received
        let target = mesh.peerID(nodes[0])
        mesh.network.withNode(attacker) { endpoint, _, _ in
            for _ in 0..<50 { _ = endpoint.sendReliable([UInt8](repeating: 7, count: 120), channel: MeshChannel.relayReliable, to: target) }
        }
        mesh.run(for: .milliseconds(500))
        #expect(mesh.nodes[0].relayCounters.received == before, "relayed copies from a stranger are not even parsed")
    }

    @Test func linksToSeatedPeersOutliveAPartialMesh() {
        var configuration = Self.lobby
        configuration.fullMeshLimit = 3
        configuration.partialNeighbours = 2
        var (mesh, nodes) = Self.seatedMesh(count: 6, seed: 46, configuration: configuration)
        #expect(mesh.run(atMost: .seconds(15)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
        // Six members is a partial mesh here, whose ring wants two links each; seated peers keep them all.
        mesh.run(for: configuration.pruneAge * 3)
        #expect(mesh.isFullyLinked(nodes))
    }
}

extension SimulatedMesh {
    /// Makes the node at `address` vouch for `peers`.
    mutating func vouch(_ peers: [PeerID], at address: SimulatedAddress) {
        withNode(address) { node, endpoint, now, output in node.vouch(for: peers, endpoint: &endpoint, at: now, into: &output) }
    }
}
