import MeshplayCore
import Testing
@testable import MeshTransport

@Suite struct ReliableStreamTests {
    func collect(_ receiver: inout ReliableReceiver, _ fragments: [(UInt64, Bool, Bool, [UInt8])]) throws(ReliableReceiver.Violation) -> [[UInt8]] {
        var delivered: [[UInt8]] = []
        for (sequence, first, last, payload) in fragments {
            try receiver.receive(channel: 1, sequence: sequence, first: first, last: last, payload: payload) { _, bytes in delivered.append(bytes) }
        }
        return delivered
    }

    @Test func outOfOrderAndDuplicateFragmentsDeliverOnceInOrder() throws {
        var receiver = ReliableReceiver()
        let delivered = try collect(&receiver, [
            (3, true, true, [3]), (2, false, true, [2, 2]), (3, true, true, [3]), (1, true, false, [1]),
            (1, true, false, [1]), (4, true, true, [4]),
        ])
        #expect(delivered == [[1, 2, 2], [3], [4]])
    }

    @Test func aPeerThatSendsBeyondTheWindowIsAViolation() {
        var receiver = ReliableReceiver()
        #expect(throws: ReliableReceiver.Violation.self) {
            _ = try collect(&receiver, [(1 + ReliableWindow.fragments, true, true, [0])])
        }
    }

    @Test func reassemblyOverSixtyFourKiBIsAViolation() {
        var receiver = ReliableReceiver()
        let chunk = [UInt8](repeating: 9, count: 1000)
        var fragments: [(UInt64, Bool, Bool, [UInt8])] = [(1, true, false, chunk)]
        for sequence in 2...70 { fragments.append((UInt64(sequence), false, false, chunk)) }
        #expect(throws: ReliableReceiver.Violation.self) { _ = try collect(&receiver, fragments) }
    }

    @Test func brokenMessageBoundariesAreAViolation() {
        var receiver = ReliableReceiver()
        #expect(throws: ReliableReceiver.Violation.self) { _ = try collect(&receiver, [(1, false, true, [1])]) }
        var other = ReliableReceiver()
        #expect(throws: ReliableReceiver.Violation.self) { _ = try collect(&other, [(1, true, false, [1]), (2, true, true, [2])]) }
    }

    @Test func smoothedRTTFollowsTheSimulatedLatency() {
        // 20 ms each way; acks may wait up to 5 ms.
        var (network, a, b) = connectedPair(seed: 31, conditions: NetworkConditions(latency: .milliseconds(20)))
        network.run(for: .milliseconds(500))
        let peerB = network.peerID(b)
        for index in 0..<50 {
            network.withNode(a) { node, _, _ in _ = node.sendReliable(messageBody(index, stream: 1), channel: 0, to: peerB) }
            network.run(for: .milliseconds(100))
        }
        let stats = network.nodes[Int(a.node)].stats(for: peerB)!
        let srtt = stats.smoothedRTT!
        #expect(srtt >= .milliseconds(40) && srtt <= .milliseconds(46))
        #expect(stats.lossRate == 0)
        #expect(stats.retransmissions == 0)
        #expect(stats.packetsSent >= 50 && stats.bytesReceived > 0)
    }
}
