import MeshplayCore
import Testing
@testable import MeshTransport

/// Two nodes that connect to each other at once, with the larger peer's initiation held up in
/// the network until the smaller peer's attempt has already made the link (what a mesh does
/// when both ends learn of each other together, on a network that reorders).
@Suite struct CrossedConnectTests {
    struct Node {
        var endpoint: MeshEndpoint<SimulatedAddress>
        let address: SimulatedAddress
        var inbox: [(from: SimulatedAddress, bytes: [UInt8])] = []
        var events: [LinkEvent<SimulatedAddress>] = []
    }

    /// Both endpoints, the smaller peer id first.
    static func nodes() -> (small: Node, large: Node) {
        var one = SeededEntropy(seed: 11)
        var two = SeededEntropy(seed: 12)
        let a = Node(endpoint: MeshEndpoint(identity: NodeIdentity(entropy: &one), credentials: testCredentials, entropy: one),
                     address: SimulatedAddress(node: 0))
        let b = Node(endpoint: MeshEndpoint(identity: NodeIdentity(entropy: &two), credentials: testCredentials, entropy: two),
                     address: SimulatedAddress(node: 1))
        return a.endpoint.peerID < b.endpoint.peerID ? (a, b) : (b, a)
    }

    /// Moves what `output` holds: datagrams into the other node's inbox, events to `node`.
    static func post(_ output: inout EndpointOutput<SimulatedAddress>, from node: inout Node, to other: inout Node) {
        for datagram in output.datagrams where datagram.address == other.address { other.inbox.append((node.address, datagram.bytes)) }
        node.events += output.events
        output.removeAll()
    }

    /// Delivers the first datagram waiting for `node`.
    static func deliver(to node: inout Node, from other: inout Node, at now: Timestamp) {
        guard !node.inbox.isEmpty else { return }
        let (from, bytes) = node.inbox.removeFirst()
        var output = EndpointOutput<SimulatedAddress>()
        node.endpoint.receive(bytes, from: from, at: now, into: &output)
        node.endpoint.flush(at: now, into: &output)
        post(&output, from: &node, to: &other)
    }

    @Test func aLateCrossedInitiationLeavesBothEndsOnOneSession() {
        var (small, large) = Self.nodes()
        let now = Timestamp.milliseconds(1000)
        var output = EndpointOutput<SimulatedAddress>()
        small.endpoint.connect(to: large.address, at: now, into: &output)
        Self.post(&output, from: &small, to: &large)
        large.endpoint.connect(to: small.address, at: now, into: &output)
        Self.post(&output, from: &large, to: &small)
        // Hellos cross; each answers with a cookie; each sends its initiation.
        Self.deliver(to: &large, from: &small, at: now)
        Self.deliver(to: &small, from: &large, at: now)
        Self.deliver(to: &small, from: &large, at: now)
        Self.deliver(to: &large, from: &small, at: now)
        #expect(small.inbox.count == 1 && large.inbox.count == 1, "one initiation each way in flight")
        // The smaller peer's initiation arrives first: the larger peer drops its own attempt and answers.
        Self.deliver(to: &large, from: &small, at: now)
        let lateInitiation = small.inbox.removeFirst()
        Self.deliver(to: &small, from: &large, at: now)
        #expect(small.endpoint.connectedPeers == [large.endpoint.peerID])
        #expect(large.endpoint.connectedPeers == [small.endpoint.peerID])
        // Now the larger peer's initiation, held up in the network, reaches the smaller one.
        small.inbox.append(lateInitiation)
        Self.deliver(to: &small, from: &large, at: now + .milliseconds(50))
        #expect(!small.events.contains { if case .linkLost(_, .replaced) = $0 { true } else { false } },
                "the late initiation did not replace the link the other end uses")
        // And the link carries traffic both ways.
        #expect(small.endpoint.sendReliable([1, 2, 3], channel: 1, to: large.endpoint.peerID) == .queued)
        #expect(large.endpoint.sendReliable([4, 5], channel: 1, to: small.endpoint.peerID) == .queued)
        small.endpoint.flush(at: now + .milliseconds(60), into: &output)
        Self.post(&output, from: &small, to: &large)
        large.endpoint.flush(at: now + .milliseconds(60), into: &output)
        Self.post(&output, from: &large, to: &small)
        while !large.inbox.isEmpty || !small.inbox.isEmpty {
            Self.deliver(to: &large, from: &small, at: now + .milliseconds(70))
            Self.deliver(to: &small, from: &large, at: now + .milliseconds(70))
        }
        #expect(large.events.contains { if case .message(_, 1, [1, 2, 3], true) = $0 { true } else { false } }, "\(large.events)")
        #expect(small.events.contains { if case .message(_, 1, [4, 5], true) = $0 { true } else { false } }, "\(small.events)")
    }
}
