import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import MeshTransport

/// Two endpoints wired back to back with no loss, recording every datagram that crossed.
struct Pair {
    var a: MeshEndpoint<SimulatedAddress>
    var b: MeshEndpoint<SimulatedAddress>
    let addressA = SimulatedAddress(node: 0)
    let addressB = SimulatedAddress(node: 1)
    var now = Timestamp.milliseconds(5000)
    var toA: [[UInt8]] = []
    var toB: [[UInt8]] = []
    var events: [LinkEvent<SimulatedAddress>] = []

    init(credentialsB: MeshCredentials = testCredentials) {
        var entropyA = SeededEntropy(seed: 100)
        var entropyB = SeededEntropy(seed: 200)
        a = MeshEndpoint(identity: NodeIdentity(entropy: &entropyA), credentials: testCredentials, entropy: entropyA)
        b = MeshEndpoint(identity: NodeIdentity(entropy: &entropyB), credentials: credentialsB, entropy: entropyB)
    }

    mutating func pump(_ output: inout EndpointOutput<SimulatedAddress>, from source: SimulatedAddress) {
        var queue = output.datagrams.map { (source, $0) }
        events += output.events
        output.removeAll()
        while !queue.isEmpty {
            let (from, datagram) = queue.removeFirst()
            var next = EndpointOutput<SimulatedAddress>()
            if datagram.address == addressA {
                toA.append(datagram.bytes)
                a.receive(datagram.bytes, from: from, at: now, into: &next)
                a.flush(at: now, into: &next)
                queue += next.datagrams.map { (addressA, $0) }
            } else {
                toB.append(datagram.bytes)
                b.receive(datagram.bytes, from: from, at: now, into: &next)
                b.flush(at: now, into: &next)
                queue += next.datagrams.map { (addressB, $0) }
            }
            events += next.events
        }
    }

    /// B connects to A; then each sends a reliable and an unreliable message.
    mutating func establishAndTalk() {
        var output = EndpointOutput<SimulatedAddress>()
        b.connect(to: addressA, at: now, into: &output)
        pump(&output, from: addressB)
        _ = b.sendReliable([1, 2, 3], channel: 1, to: a.peerID)
        _ = b.sendUnreliable([4, 5], channel: 2, to: a.peerID)
        b.flush(at: now, into: &output)
        pump(&output, from: addressB)
        _ = a.sendReliable([6], channel: 1, to: b.peerID)
        a.flush(at: now, into: &output)
        pump(&output, from: addressA)
    }
}

@Suite struct StrangerTests {
    /// Feeds `datagrams` to A from `sources` and checks that nothing is accepted,
    /// no per-address state appears, and no reply is larger than the datagram that caused it.
    func expectNothingAccepted(_ pair: inout Pair, _ datagrams: [[UInt8]], sources: (Int) -> SimulatedAddress, allowReplies: Bool = false) {
        let before = pair.a.counters
        let state = pair.a.stateCount
        var eventCount = 0
        for (index, datagram) in datagrams.enumerated() {
            var output = EndpointOutput<SimulatedAddress>()
            pair.a.receive(datagram, from: sources(index), at: pair.now, into: &output)
            pair.a.flush(at: pair.now, into: &output)
            eventCount += output.events.count
            if !allowReplies { #expect(output.datagrams.isEmpty) }
            for reply in output.datagrams { #expect(reply.bytes.count <= datagram.count) }
        }
        #expect(eventCount == 0)
        #expect(pair.a.stateCount == state)
        if !allowReplies {
            #expect(pair.a.counters.accepted == before.accepted)
            #expect(pair.a.counters.rejected == before.rejected + UInt64(datagrams.count))
        }
    }

    @Test func randomBytesAreIgnored() {
        var pair = Pair()
        pair.establishAndTalk()
        var random = SeededRandom(seed: 3)
        var datagrams: [[UInt8]] = []
        for _ in 0..<5000 {
            let count = Int(random.next(below: 1400))
            var bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            // Half of them look like real headers, so decryption is attempted.
            if random.next(below: 2) == 0, count >= 1 {
                bytes[0] = PacketHeader.currentVersion << 4 | [1, 2, 3, 4, 10, 11, 12, 13][Int(random.next(below: 8))]
            }
            datagrams.append(bytes)
        }
        expectNothingAccepted(&pair, datagrams, sources: { SimulatedAddress(node: UInt32(1000 + $0)) })
    }

    @Test func truncatedAndTamperedPacketsAreRejected() {
        var pair = Pair()
        pair.establishAndTalk()
        var datagrams: [[UInt8]] = []
        for packet in pair.toA {
            for length in 0..<packet.count { datagrams.append(Array(packet.prefix(length))) }
            for index in stride(from: 0, to: packet.count, by: 3) {
                var flipped = packet
                flipped[index] ^= 0x40
                datagrams.append(flipped)
            }
            datagrams.append(packet + [0])
        }
        expectNothingAccepted(&pair, datagrams, sources: { _ in SimulatedAddress(node: 1) })
    }

    @Test func replayedDataPacketsAreRejected() {
        var pair = Pair()
        pair.establishAndTalk()
        let dataPackets = pair.toA.filter { PacketHeader.type(of: $0) == .data }
        #expect(!dataPackets.isEmpty)
        expectNothingAccepted(&pair, dataPackets + dataPackets, sources: { _ in SimulatedAddress(node: 1) })
        expectNothingAccepted(&pair, dataPackets, sources: { SimulatedAddress(node: UInt32(50 + $0)) })
    }

    @Test func replayedHandshakesCreateNoStateAndNeverAmplify() {
        var pair = Pair()
        pair.establishAndTalk()
        let handshakes = pair.toA.filter { PacketHeader.type(of: $0) != .data }
        #expect(handshakes.count >= 2)
        // From the same address and from a thousand others: cookies at most, each smaller than its cause.
        expectNothingAccepted(&pair, handshakes, sources: { _ in SimulatedAddress(node: 1) }, allowReplies: true)
        expectNothingAccepted(&pair, Array(repeating: handshakes, count: 500).flatMap { $0 }, sources: { SimulatedAddress(node: UInt32(2000 + $0)) }, allowReplies: true)
        #expect(pair.a.stateCount == (1, 0))
    }

    @Test func aReplayedInitiationDoesNotReviveAClosedLink() {
        var pair = Pair()
        pair.establishAndTalk()
        let initiation = pair.toA.first { PacketHeader.type(of: $0) == .initiation }!
        var output = EndpointOutput<SimulatedAddress>()
        pair.a.disconnect(pair.b.peerID, at: pair.now, into: &output)
        #expect(pair.a.stateCount == (0, 0))
        output.removeAll()
        pair.a.receive(initiation, from: pair.addressB, at: pair.now, into: &output)
        #expect(output.events.isEmpty && output.datagrams.isEmpty)
        #expect(pair.a.stateCount == (0, 0))
    }

    @Test func aWrongPasswordGetsNoByteAcceptedAndNoReply() {
        var pair = Pair(credentialsB: MeshCredentials(meshName: "test-mesh", password: "guess"))
        var output = EndpointOutput<SimulatedAddress>()
        var attempts: [[UInt8]] = []
        for index in 0..<200 {
            var entropy = SeededEntropy(seed: UInt64(index))
            var stranger = MeshEndpoint<SimulatedAddress>(
                identity: NodeIdentity(entropy: &entropy), credentials: MeshCredentials(meshName: "test-mesh", password: "guess \(index % 3)"), entropy: entropy)
            stranger.connect(to: pair.addressA, at: pair.now, into: &output)
            attempts += output.datagrams.map(\.bytes)
            output.removeAll()
        }
        // Forged later-stage packets: an initiation with a valid layout sealed with the wrong key, and data packets for any session.
        var stranger = pair.b
        stranger.connect(to: pair.addressA, at: pair.now, into: &output)
        let hello = output.datagrams[0].bytes
        output.removeAll()
        var forged = hello
        forged[0] = PacketHeader.currentVersion << 4 | PacketType.initiation.rawValue
        forged += [UInt8](repeating: 0, count: 116)
        attempts.append(forged)
        for session: UInt32 in [0, 1, 0xFFFF_FFFF] {
            var data: [UInt8] = []
            PacketHeader(dataTo: session, number: 1, largestAcknowledged: 0).write(to: &data)
            attempts.append(data + [UInt8](repeating: 0x55, count: 100))
        }
        expectNothingAccepted(&pair, attempts, sources: { SimulatedAddress(node: UInt32(5000 + $0)) })
        #expect(pair.a.stateCount == (0, 0))
        #expect(pair.a.counters.cookiesSent == 0)
    }

    @Test func aHelloFloodFromManyAddressesOnlyGetsSmallerCookies() async {
        await OffThePool.compute {
            var pair = Pair()
            var output = EndpointOutput<SimulatedAddress>()
            var hellos: [[UInt8]] = []
            for index in 0..<2000 {
                var entropy = SeededEntropy(seed: UInt64(10_000 + index))
                var flooder = MeshEndpoint<SimulatedAddress>(identity: NodeIdentity(entropy: &entropy), credentials: testCredentials, entropy: entropy)
                flooder.connect(to: pair.addressA, at: pair.now, into: &output)
                hellos += output.datagrams.map(\.bytes)
                output.removeAll()
            }
            var replies = 0
            for (index, hello) in hellos.enumerated() {
                pair.a.receive(hello, from: SimulatedAddress(node: UInt32(7000 + index)), at: pair.now, into: &output)
                for reply in output.datagrams { #expect(reply.bytes.count < hello.count) }
                replies += output.datagrams.count
                output.removeAll()
            }
            #expect(replies == hellos.count)
            #expect(pair.a.stateCount == (0, 0))
            #expect(pair.a.counters.cookiesSent == UInt64(hellos.count))
        }
    }

    @Test func establishedPairStillWorksAfterTheAttacks() {
        var pair = Pair()
        pair.establishAndTalk()
        let delivered = pair.events.compactMap { event -> [UInt8]? in
            if case .message(_, _, let bytes, _) = event { return bytes } else { return nil }
        }
        #expect(delivered.sorted { $0.count < $1.count } == [[6], [4, 5], [1, 2, 3]])
        var random = SeededRandom(seed: 4)
        var output = EndpointOutput<SimulatedAddress>()
        for _ in 0..<1000 {
            let garbage = (0..<Int(random.next(below: 200))).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            pair.a.receive(garbage, from: pair.addressB, at: pair.now, into: &output)
        }
        #expect(output.datagrams.isEmpty && output.events.isEmpty)
        _ = pair.b.sendReliable([9, 9], channel: 1, to: pair.a.peerID)
        pair.b.flush(at: pair.now, into: &output)
        pair.events = []
        pair.pump(&output, from: pair.addressB)
        #expect(pair.events.contains { if case .message(_, 1, [9, 9], true) = $0 { true } else { false } })
    }
}
