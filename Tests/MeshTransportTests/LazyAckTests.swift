import MeshplayCore
import Testing
@testable import MeshTransport

/// Lazy acks (what every player's node runs during a lockstep game): a stream of small
/// unreliable datagrams costs no ack-only packets and few ack blocks, the link's loss
/// figure stays true, and reliable messages are still acknowledged promptly.
@Suite struct LazyAckTests {
    static var lazy: LinkConfiguration {
        var link = LinkConfiguration()
        link.lazyUnreliableAcks = true
        return link
    }

    /// Both sides stream 60 datagrams a second over 50 ms without loss for 5 s.
    static func stream(configuration: LinkConfiguration) -> (packets: UInt64, bytes: UInt64, loss: Double) {
        var (network, a, b) = connectedPair(seed: 3, conditions: NetworkConditions(latency: .milliseconds(50)), configuration: configuration)
        network.run(for: .milliseconds(500))
        let peerA = network.peerID(a)
        let peerB = network.peerID(b)
        let before = network.nodes[Int(a.node)].stats(for: peerB)!
        for round in 0..<300 {
            network.withNode(a) { node, _, _ in _ = node.sendUnreliable([UInt8(truncatingIfNeeded: round), 1, 2, 3, 4], channel: 16, to: peerB) }
            network.run(for: .milliseconds(8))
            network.withNode(b) { node, _, _ in _ = node.sendUnreliable([UInt8(truncatingIfNeeded: round), 5, 6, 7, 8], channel: 16, to: peerA) }
            network.run(for: .milliseconds(9))
        }
        let after = network.nodes[Int(a.node)].stats(for: peerB)!
        return (after.packetsSent - before.packetsSent, after.bytesSent - before.bytesSent, after.lossRate)
    }

    @Test func aStreamOfUnreliableDatagramsSendsNoAckOnlyPacketsAndFewAckBlocks() {
        let lazy = Self.stream(configuration: Self.lazy)
        // One packet per datagram, no ack-only packets; an ack block (7 bytes) about every
        // `lazyAckDelay` (250 ms) or so: under a byte a packet more than the bare 38.
        #expect(lazy.packets == 300)
        #expect(lazy.bytes <= 300 * 38 + 300)
        // Every packet got through and is known to: none counted lost while its ack waited.
        #expect(lazy.loss == 0)
        // Prompt acks (what UDP nodes ran before): an ack-only packet for most datagrams.
        let prompt = Self.stream(configuration: LinkConfiguration())
        #expect(prompt.packets > 450)
        #expect(prompt.bytes > lazy.bytes * 3 / 2)
    }

    @Test func reliableMessagesAreStillAcknowledgedPromptly() {
        var (network, a, b) = connectedPair(seed: 4, conditions: NetworkConditions(latency: .milliseconds(50)), configuration: Self.lazy)
        network.run(for: .milliseconds(500))
        let peerB = network.peerID(b)
        network.withNode(a) { node, _, _ in _ = node.sendReliable([1, 2, 3], channel: 4, to: peerB) }
        #expect(network.nodes[Int(a.node)].stats(for: peerB)!.bufferedBytes > 0)
        // A round trip (100 ms) and `maxAckDelay` (5 ms), not `lazyAckDelay`.
        network.run(for: .milliseconds(120))
        #expect(network.nodes[Int(a.node)].stats(for: peerB)!.bufferedBytes == 0)
        #expect(network.takeEvents(b).messages(reliable: true).map(\.bytes) == [[1, 2, 3]])
    }
}
