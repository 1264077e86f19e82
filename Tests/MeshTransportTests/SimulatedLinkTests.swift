import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import MeshTransport

@Suite struct SimulatedLinkTests {
    @Test func handshakeBringsBothSidesUpAndCarriesBothChannels() {
        var (network, a, b) = connectedPair(seed: 1)
        network.run(for: .milliseconds(200))
        let eventsA = network.takeEvents(a)
        let eventsB = network.takeEvents(b)
        #expect(eventsA.linkUps == [network.peerID(b)])
        #expect(eventsB.linkUps == [network.peerID(a)])
        let peerB = network.peerID(b)
        network.withNode(a) { node, _, _ in
            #expect(node.sendReliable([1, 2, 3], channel: 4, to: peerB) == .queued)
            #expect(node.sendUnreliable([9], channel: 5, to: peerB) == .queued)
            #expect(node.sendReliable([], channel: 4, to: peerB) == .queued)
        }
        network.run(for: .milliseconds(100))
        let received = network.takeEvents(b)
        #expect(received.messages(reliable: true).map(\.bytes) == [[1, 2, 3], []])
        #expect(received.messages(reliable: true).map(\.channel) == [4, 4])
        #expect(received.messages(reliable: false).map(\.bytes) == [[9]])
        let stats = network.nodes[Int(a.node)].stats(for: peerB)
        #expect(stats?.smoothedRTT != nil)
        #expect((stats?.bytesSent ?? 0) > 0)
    }

    @Test func sizeLimitsAndUnknownPeers() {
        var (network, a, b) = connectedPair(seed: 2)
        network.run(for: .milliseconds(200))
        let peerB = network.peerID(b)
        network.withNode(a) { node, _, _ in
            #expect(node.sendReliable(Array(repeating: 0, count: 65537), channel: 0, to: peerB) == .tooLarge)
            #expect(node.sendUnreliable(Array(repeating: 0, count: 1101), channel: 0, to: peerB) == .tooLarge)
            #expect(node.sendReliable([1], channel: 0, to: PeerID(high: 1, low: 2)) == .unknownPeer)
        }
    }

    /// The harsh network: 250 ms ± 100 ms, 25% loss, 25% duplication, 25% reordering.
    @Test func tenThousandReliableMessagesEachWayOverAHarshNetwork() async {
        await OffThePool.compute {
            let harsh = NetworkConditions(latency: .milliseconds(250), jitter: .milliseconds(100), loss: 0.25, duplication: 0.25, reordering: 0.25)
            var (network, a, b) = connectedPair(seed: 7, conditions: harsh)
            network.run(for: .seconds(3))
            #expect(network.takeEvents(a).linkUps.count == 1)
            #expect(network.takeEvents(b).linkUps.count == 1)
            let peerA = network.peerID(a)
            let peerB = network.peerID(b)
            let count = 10_000
            let unreliableCount = 500
            network.withNode(a) { node, _, _ in
                for index in 0..<count { #expect(node.sendReliable(messageBody(index, stream: 1), channel: 1, to: peerB) == .queued) }
            }
            network.withNode(b) { node, _, _ in
                for index in 0..<count { #expect(node.sendReliable(messageBody(index, stream: 2), channel: 2, to: peerA) == .queued) }
            }
            var receivedAtA: [[UInt8]] = []
            var receivedAtB: [[UInt8]] = []
            var unreliableAtB: [[UInt8]] = []
            var sentUnreliable = 0
            var rounds = 0
            while (receivedAtA.count < count || receivedAtB.count < count) && rounds < 6000 {
                if sentUnreliable < unreliableCount {
                    let body = messageBody(sentUnreliable, stream: 3, maxFiller: 60)
                    network.withNode(a) { node, _, _ in _ = node.sendUnreliable(body, channel: 9, to: peerB) }
                    sentUnreliable += 1
                }
                network.run(for: .milliseconds(20))
                let atA = network.takeEvents(a)
                let atB = network.takeEvents(b)
                #expect(atA.linkLosses.isEmpty && atB.linkLosses.isEmpty)
                receivedAtA += atA.messages(reliable: true).map(\.bytes)
                receivedAtB += atB.messages(reliable: true).map(\.bytes)
                unreliableAtB += atB.messages(reliable: false).map(\.bytes)
                rounds += 1
            }
            #expect(receivedAtB.count == count)
            #expect(receivedAtA.count == count)
            #expect(receivedAtB == (0..<count).map { messageBody($0, stream: 1) })
            #expect(receivedAtA == (0..<count).map { messageBody($0, stream: 2) })
            // Unreliable: at most once each, only what was sent, and (with 25% loss) not all of it.
            #expect(Set(unreliableAtB).count == unreliableAtB.count)
            #expect(unreliableAtB.allSatisfy { $0 == messageBody(Int($0[1]) | Int($0[2]) << 8, stream: 3, maxFiller: 60) })
            #expect(unreliableAtB.count < unreliableCount)
            #expect(unreliableAtB.count > unreliableCount / 2)
            #expect(network.counters.duplicated > 0 && network.counters.lost > 0)
            let stats = network.nodes[Int(a.node)].stats(for: peerB)!
            #expect(stats.retransmissions > 0)
            #expect(stats.lossRate > 0.1)
        }
    }

    @Test func largeMessagesAreFragmentedAndReassembledUnderLoss() {
        let lossy = NetworkConditions(latency: .milliseconds(30), jitter: .milliseconds(10), loss: 0.2, duplication: 0.1, reordering: 0.2)
        var (network, a, b) = connectedPair(seed: 11, conditions: lossy)
        network.run(for: .seconds(2))
        let peerB = network.peerID(b)
        let sizes = [65536, 1, 1170, 1171, 30_000, 0, 5000]
        let bodies = sizes.enumerated().map { index, size in (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ index) } }
        network.withNode(a) { node, _, _ in
            for body in bodies { #expect(node.sendReliable(body, channel: 6, to: peerB) == .queued) }
        }
        network.run(for: .seconds(10))
        #expect(network.takeEvents(b).messages(reliable: true).map(\.bytes) == bodies)
    }

    /// With a reassembly budget of four fragments for the whole endpoint, out-of-order
    /// fragments past it are not kept and their packets not acknowledged: everything still
    /// arrives, in order, once the sender resends; nothing is held beyond the budget.
    @Test func aTinyReassemblyBudgetStillDeliversEverythingInOrder() {
        let lossy = NetworkConditions(latency: .milliseconds(30), jitter: .milliseconds(10), loss: 0.2, duplication: 0.1, reordering: 0.3)
        var configuration = LinkConfiguration()
        configuration.maxReassemblyBytes = 4 * 1170
        var (network, a, b) = connectedPair(seed: 12, conditions: lossy, configuration: configuration)
        network.run(for: .seconds(2))
        let peerB = network.peerID(b)
        let bodies = [65536, 30_000, 5000, 1, 20_000].enumerated().map { index, size in
            (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
        }
        network.withNode(a) { node, _, _ in
            for body in bodies { #expect(node.sendReliable(body, channel: 6, to: peerB) == .queued) }
        }
        var held = 0
        var received: [[UInt8]] = []
        for _ in 0 ..< 30_000 where received.count < bodies.count {
            network.run(for: .milliseconds(10))
            held = max(held, configuration.maxReassemblyBytes - network.nodes[Int(b.node)].reassemblyBudgetLeft)
            received += network.takeEvents(b).messages(reliable: true).map(\.bytes)
        }
        #expect(received.count == bodies.count && received == bodies, "\(received.map(\.count)) of \(bodies.map(\.count))")
        #expect(held > 0 && held <= configuration.maxReassemblyBytes, "held \(held) bytes out of order at most")
        #expect(network.nodes[Int(b.node)].reassemblyBudgetLeft == configuration.maxReassemblyBytes, "all given back")
    }

    @Test func aSeedReplaysARunExactly() {
        func run() -> (SimulatedNetwork.Counters, [String], LinkStats?) {
            let conditions = NetworkConditions(latency: .milliseconds(40), jitter: .milliseconds(20), loss: 0.2, duplication: 0.2, reordering: 0.2)
            var (network, a, b) = connectedPair(seed: 99, conditions: conditions)
            network.run(for: .seconds(1))
            let peerB = network.peerID(b)
            network.withNode(a) { node, _, _ in
                for index in 0..<300 {
                    _ = node.sendReliable(messageBody(index, stream: 1), channel: 1, to: peerB)
                    _ = node.sendUnreliable(messageBody(index, stream: 2, maxFiller: 20), channel: 2, to: peerB)
                }
            }
            network.run(for: .seconds(5))
            let log = network.takeEvents(b).map { "\($0)" }
            return (network.counters, log, network.nodes[Int(a.node)].stats(for: peerB))
        }
        let first = run()
        let second = run()
        #expect(first.0 == second.0)
        #expect(first.1 == second.1)
        #expect(first.2 == second.2)
    }

    @Test func idleLinksStayUpOnKeepalivesAndPartitionsLoseThem() {
        var configuration = LinkConfiguration()
        configuration.linkTimeout = .seconds(3)
        var (network, a, b) = connectedPair(seed: 5, configuration: configuration)
        network.run(for: .seconds(30))
        #expect(network.takeEvents(a).linkLosses.isEmpty)
        #expect(network.takeEvents(b).linkLosses.isEmpty)
        let start = network.now
        network.partition([a], [b], from: start, until: start + .seconds(10))
        network.run(for: .seconds(4))
        #expect(network.takeEvents(a).linkLosses.map(\.1) == [.timeout])
        #expect(network.takeEvents(b).linkLosses.map(\.1) == [.timeout])
        #expect(network.nodes[Int(a.node)].connectedPeers.isEmpty)
        // Connecting during the partition fails; after it heals it succeeds.
        network.connect(a, to: b)
        network.run(for: .seconds(6))
        #expect(network.takeEvents(a).contains { if case .connectFailed = $0 { true } else { false } })
        network.connect(a, to: b)
        network.run(for: .seconds(1))
        #expect(network.takeEvents(a).linkUps == [network.peerID(b)])
    }

    @Test func sendBufferIsBoundedWhenThePeerIsUnreachable() {
        var configuration = LinkConfiguration()
        configuration.maxSendBufferBytes = 100_000
        var (network, a, b) = connectedPair(seed: 6, configuration: configuration)
        network.run(for: .milliseconds(200))
        let peerB = network.peerID(b)
        network.partition([a], [b], from: network.now, until: network.now + .seconds(60))
        var results: [SendResult] = []
        network.withNode(a) { node, _, _ in
            for _ in 0..<200 { results.append(node.sendReliable(Array(repeating: 7, count: 1000), channel: 0, to: peerB)) }
        }
        #expect(results.filter { $0 == .queued }.count == 100)
        #expect(results.last == .queueFull)
        network.run(for: .seconds(2))
        #expect(network.nodes[Int(a.node)].stats(for: peerB)!.bufferedBytes == 100_000)
        network.run(for: .seconds(4))
        #expect(network.takeEvents(a).linkLosses.map(\.1) == [.timeout])
        network.withNode(a) { node, _, _ in #expect(node.sendReliable([1], channel: 0, to: peerB) == .unknownPeer) }
    }

    @Test func simultaneousConnectsMakeOneLink() {
        var network = SimulatedNetwork(seed: 8)
        let a = network.addNode(credentials: testCredentials)
        let b = network.addNode(credentials: testCredentials)
        network.connect(a, to: b)
        network.connect(b, to: a)
        network.run(for: .seconds(1))
        #expect(network.takeEvents(a).linkUps == [network.peerID(b)])
        #expect(network.takeEvents(b).linkUps == [network.peerID(a)])
        let peerB = network.peerID(b)
        network.withNode(a) { node, _, _ in _ = node.sendReliable([42], channel: 0, to: peerB) }
        network.run(for: .milliseconds(100))
        #expect(network.takeEvents(b).messages(reliable: true).map(\.bytes) == [[42]])
    }

    @Test func disconnectTellsThePeer() {
        var (network, a, b) = connectedPair(seed: 9)
        network.run(for: .milliseconds(200))
        _ = network.takeEvents(a)
        _ = network.takeEvents(b)
        let peerB = network.peerID(b)
        network.withNode(a) { node, now, output in node.disconnect(peerB, at: now, into: &output) }
        network.run(for: .milliseconds(100))
        #expect(network.takeEvents(a).linkLosses.map(\.1) == [.closedLocally])
        #expect(network.takeEvents(b).linkLosses.map(\.1) == [.closedByPeer])
    }

    @Test func aWrongPasswordNeverLinks() {
        var network = SimulatedNetwork(seed: 10)
        let a = network.addNode(credentials: testCredentials)
        let b = network.addNode(credentials: MeshCredentials(meshName: "test-mesh", password: "wrong"))
        network.connect(b, to: a)
        network.run(for: .seconds(6))
        #expect(network.takeEvents(a).isEmpty)
        #expect(network.takeEvents(b).contains { if case .connectFailed = $0 { true } else { false } })
        #expect(network.nodes[0].counters.accepted == 0)
        #expect(network.nodes[0].counters.rejected > 0)
        #expect(network.nodes[0].stateCount == (0, 0))
    }

    @Test func meshOfFourNodesWithBandwidthCap() {
        var network = SimulatedNetwork(seed: 12, defaultConditions: NetworkConditions(latency: .milliseconds(20), jitter: .milliseconds(5), loss: 0.05, bytesPerSecond: 200_000))
        let nodes = (0..<4).map { _ in network.addNode(credentials: testCredentials) }
        for i in nodes.indices { for j in nodes.indices where i < j { network.connect(nodes[i], to: nodes[j]) } }
        network.run(for: .seconds(1))
        for node in nodes { #expect(Set(network.takeEvents(node).linkUps).count == 3) }
        for i in nodes.indices {
            for j in nodes.indices where i != j {
                let peer = network.peerID(nodes[j])
                network.withNode(nodes[i]) { node, _, _ in
                    for index in 0..<50 { _ = node.sendReliable(messageBody(index, stream: UInt8(i), maxFiller: 1000), channel: 1, to: peer) }
                }
            }
        }
        network.run(for: .seconds(5))
        for j in nodes.indices {
            let messages = network.takeEvents(nodes[j]).messages(reliable: true).map(\.bytes)
            #expect(messages.count == 150)
            for i in nodes.indices where i != j {
                #expect(messages.filter { $0[0] == UInt8(i) } == (0..<50).map { messageBody($0, stream: UInt8(i), maxFiller: 1000) })
            }
        }
    }
}
