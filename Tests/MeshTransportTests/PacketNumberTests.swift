import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import MeshTransport

/// Data packets carry only the low bits of their packet number (PacketFormat.md, version 3):
/// a live link keeps working across the short form's wrap and across a gap longer than it.
@Suite struct PacketNumberTests {
    /// Over 65,536 packets one way, under loss and reordering, with the packets on both sides
    /// of the wrap lost: the receiver makes every packet number whole, so nothing that arrives
    /// is refused, before or after the wrap.
    @Test func aLinkCarriesOnPastTheShortFormsWrap() async {
        await OffThePool.compute {
            let lossy = NetworkConditions(latency: .milliseconds(5), jitter: .milliseconds(2), loss: 0.05, reordering: 0.1)
            var (network, a, b) = connectedPair(seed: 31, conditions: lossy)
            network.run(for: .milliseconds(500))
            let peerB = network.peerID(b)
            #expect(network.takeEvents(b).linkUps == [network.peerID(a)])
            let rejectedBefore = network.nodes[Int(b.node)].counters.rejected
            var delivered = 0
            // One datagram a step and a step a packet: packet numbers run well past 65,536.
            let dark = NetworkConditions(latency: .milliseconds(5), loss: 1)
            for index in 0..<70_000 {
                // Packet numbers run a few ahead of the index (keepalives): lose 65,450 ..< 65,600 or so.
                if index == 65_450 { network.setConditions(dark, from: a, to: b) }
                if index == 65_600 { network.setConditions(lossy, from: a, to: b) }
                network.withNode(a) { node, _, _ in _ = node.sendUnreliable(messageBody(index, stream: 1, maxFiller: 8), channel: 3, to: peerB) }
                network.run(for: .microseconds(200))
                if index % 1000 == 999 {
                    let events = network.takeEvents(b)
                    #expect(events.linkLosses.isEmpty)
                    delivered += events.messages(reliable: false).count
                }
            }
            network.withNode(a) { node, _, _ in _ = node.sendReliable([7, 7], channel: 4, to: peerB) }
            network.run(for: .seconds(1))
            let last = network.takeEvents(b)
            delivered += last.messages(reliable: false).count
            #expect(last.messages(reliable: true).map(\.bytes) == [[7, 7]], "a reliable message after the wrap")
            #expect((network.nodes[Int(a.node)].stats(for: peerB)?.packetsSent ?? 0) > 70_000)
            #expect(network.nodes[Int(b.node)].counters.rejected == rejectedBefore, "no packet that arrived was refused")
            #expect(delivered > 60_000 && delivered < 70_000, "\(delivered) of 70,000 at 5% loss")
        }
    }

    /// 70,000 packets lost in a row (more than the short form's whole range) with the acks lost
    /// too: the sender, its packets unacknowledged, sends the long form, and the first packet
    /// after the gap opens at the receiver (in the short form its low bits would name a packet
    /// 65,536 numbers earlier).
    @Test func aGapLongerThanTheShortRangeIsCrossedInTheLongForm() async {
        await OffThePool.compute {
            var (network, a, b) = connectedPair(seed: 32)
            network.run(for: .milliseconds(500))
            let peerB = network.peerID(b)
            _ = network.takeEvents(a)
            _ = network.takeEvents(b)
            network.withNode(a) { node, _, _ in _ = node.sendReliable([1], channel: 4, to: peerB) }
            network.run(for: .milliseconds(100))
            #expect(network.takeEvents(b).messages(reliable: true).map(\.bytes) == [[1]])
            let rejectedBefore = network.nodes[Int(b.node)].counters.rejected
            // Both ways dark (3.5 s, under the 5 s link timeout) while A sends 70,000 packets.
            let dark = NetworkConditions(latency: .milliseconds(1), loss: 1)
            network.setConditions(dark, from: a, to: b)
            network.setConditions(dark, from: b, to: a)
            let sentBefore = network.nodes[Int(a.node)].stats(for: peerB)?.packetsSent ?? 0
            for index in 0..<70_000 {
                network.withNode(a) { node, _, _ in _ = node.sendUnreliable([UInt8(truncatingIfNeeded: index)], channel: 3, to: peerB) }
                network.run(for: .microseconds(50))
            }
            #expect((network.nodes[Int(a.node)].stats(for: peerB)?.packetsSent ?? 0) - sentBefore >= 70_000)
            network.setConditions(.ideal, from: a, to: b)
            network.setConditions(.ideal, from: b, to: a)
            network.withNode(a) { node, _, _ in _ = node.sendReliable([2], channel: 4, to: peerB) }
            network.run(for: .milliseconds(200))
            let events = network.takeEvents(b)
            #expect(events.linkLosses.isEmpty)
            #expect(events.messages(reliable: true).map(\.bytes) == [[2]], "the first message after the gap")
            #expect(network.nodes[Int(b.node)].counters.rejected == rejectedBefore)
            #expect(network.counters.lost >= 70_000)
        }
    }
}
