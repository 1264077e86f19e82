#if canImport(Glibc)
import Glibc
#endif
import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import MeshTransportNIO

/// ``POSIXUDPDriver``: the same cores over loopback UDP on a thread of the driver's own.
@Suite struct POSIXDriverTests {
    typealias Node = POSIXUDPDriver<LinkEventHandler>

    func makeNode(host: String = "127.0.0.1", seed: UInt64, log: EventLog, busyWait: Bool = false) throws -> Node {
        var entropy = SeededEntropy(seed: seed)
        let handler = log.handler
        return try POSIXUDPDriver.bind(
            host: host, port: 0, identity: NodeIdentity(entropy: &entropy), credentials: testCredentials,
            busyWait: busyWait ? .milliseconds(2) : .zero, core: { LinkEventHandler(handler) })
    }

    @Test func twoNodesCarryASealedLinkAndDeliverReliableMessagesInOrder() async throws {
        try await OffThePool.wait {
            let logA = EventLog(), logB = EventLog()
            // One node spins before sleeping, the other sleeps at once: both ways of waiting carry the link.
            let a = try makeNode(seed: 41, log: logA, busyWait: true)
            let b = try makeNode(seed: 42, log: logB)
            a.connect(to: b.localAddress)
            #expect(try await logA.wait { $0.linkUps == [b.peerID] })
            #expect(try await logB.wait { $0.linkUps == [a.peerID] })
            let count = 3000
            let peer = b.peerID
            try await a.withEndpoint { endpoint in
                for index in 0..<count { _ = endpoint.sendReliable(messageBody(index, stream: 7, maxFiller: 900), channel: 1, to: peer) }
                // A message of many fragments, reassembled in order with the rest.
                _ = endpoint.sendReliable(Array(repeating: 0xCD, count: 65536), channel: 2, to: peer)
                for index in 0..<20 { _ = endpoint.sendUnreliable(messageBody(index, stream: 8, maxFiller: 40), channel: 3, to: peer) }
            }
            let expected = (0..<count).map { messageBody($0, stream: 7, maxFiller: 900) } + [Array(repeating: 0xCD, count: 65536)]
            #expect(try await logB.wait { $0.messages(from: a.peerID, reliable: true).count == count + 1 })
            #expect(logB.messages(from: a.peerID, reliable: true) == expected)
            let unreliable = logB.messages(from: a.peerID, reliable: false)
            #expect(unreliable.count <= 20 && Set(unreliable).count == unreliable.count)
            #expect(unreliable.allSatisfy { $0 == messageBody(Int($0[1]), stream: 8, maxFiller: 40) })
            // Every datagram that carried them was sealed: the receiver accepted them all, rejected none.
            let counters = try await b.withEndpoint { $0.counters }
            #expect(counters.accepted > 0 && counters.rejected == 0)
            #expect(try await a.withEndpoint { $0.stats(for: peer) }?.smoothedRTT != nil)
            await a.close()
            await b.close()
        }
    }

    @Test func twoNodesOverIPv6() async throws {
        try await OffThePool.wait {
            let logA = EventLog(), logB = EventLog()
            let a = try makeNode(host: "::1", seed: 43, log: logA)
            let b = try makeNode(host: "::1", seed: 44, log: logB)
            a.connect(to: b.localAddress)
            #expect(try await logB.wait { $0.linkUps == [a.peerID] })
            // The responder's link is up at the initiation; the initiator's only when the response is in.
            #expect(try await logA.wait { $0.linkUps == [b.peerID] })
            let peerB = b.peerID
            #expect(try await a.withEndpoint { $0.sendReliable([1, 2, 3], channel: 0, to: peerB) } == .queued)
            #expect(try await logB.wait { $0.messages(from: a.peerID, reliable: true) == [[1, 2, 3]] })
            await a.close()
            await b.close()
        }
    }

    @Test func aBadDatagramIsCountedAndTheLinkCarriesOn() async throws {
        try await OffThePool.wait {
            let logA = EventLog(), logB = EventLog()
            let a = try makeNode(seed: 45, log: logA)
            let b = try makeNode(seed: 46, log: logB)
            a.connect(to: b.localAddress)
            #expect(try await logB.wait { $0.linkUps == [a.peerID] })
            #expect(try await logA.wait { $0.linkUps == [b.peerID] })
            let before = try await b.withEndpoint { $0.counters.rejected }
            // Garbage, a forged data packet for no session, and a datagram longer than any packet.
            let stranger = try BatchDatagramSocket.bind(host: "127.0.0.1", port: 0)
            stranger.send([
                OutgoingDatagram(address: b.localAddress, bytes: [0xFF, 0x00, 0x01]),
                OutgoingDatagram(address: b.localAddress, bytes: [PacketHeader.currentVersion << 4 | 10] + Array(repeating: 0x42, count: 60)),
            ])
            stranger.send([OutgoingDatagram(address: b.localAddress, bytes: Array(repeating: 0x17, count: 1999))])
            stranger.close()
            #expect(try await waitUntil { try await b.withEndpoint { $0.counters.rejected } >= before + 3 })
            let peerB = b.peerID
            #expect(try await a.withEndpoint { $0.sendReliable([9, 9], channel: 0, to: peerB) } == .queued)
            #expect(try await logB.wait { $0.messages(from: a.peerID, reliable: true) == [[9, 9]] })
            #expect(logB.events.allSatisfy { if case .linkLost = $0 { false } else { true } })
            await a.close()
            await b.close()
        }
    }

    @Test func closingStopsTheThreadFailsLaterCommandsAndFreesThePort() async throws {
        try await OffThePool.wait {
            let log = EventLog()
            let node = try makeNode(seed: 47, log: log)
            let address = node.localAddress
            #expect(try await node.withEndpoint { $0.peerID } == node.peerID)
            await node.close()
            await node.close()  // twice is fine
            await #expect(throws: Node.Closed.self) { try await node.withEndpoint { $0.peerID } }
            // The socket is closed: its port can be bound again.
            let again = try BatchDatagramSocket.bind(host: "127.0.0.1", port: Int(address.port))
            #expect(again.localAddress == address)
            again.close()
        }
    }

    @Test func aTakenPortIsRefused() async throws {
        try await OffThePool.wait {
            let log = EventLog()
            let first = try makeNode(seed: 48, log: log)
            var entropy = SeededEntropy(seed: 49)
            do {
                _ = try POSIXUDPDriver.bind(
                    host: "127.0.0.1", port: Int(first.localAddress.port), identity: NodeIdentity(entropy: &entropy),
                    credentials: testCredentials, core: { LinkEventHandler { _, _ in } })
                Issue.record("a taken port was bound")
            } catch let error as UDPBindError {
                #expect(error.isAddressInUse)
                #expect(error.description.hasPrefix("cannot listen on UDP 127.0.0.1:\(first.localAddress.port): "))
            }
            await first.close()
        }
    }

    /// Polls `condition` until it holds or 60 s pass (generous, as `EventLog.wait`: only a failure waits it out).
    func waitUntil(_ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return try await condition()
    }
}

@Suite struct BatchDatagramSocketTests {
    @Test func aBatchArrivesWholeWithItsSenderAndAnOverlongDatagramIsDropped() async throws {
        try await OffThePool.wait {
            let receiver = try BatchDatagramSocket.bind(host: "127.0.0.1", port: 0)
            let sender = try BatchDatagramSocket.bind(host: "127.0.0.1", port: 0)
            let sent = (0..<50).map { index in [UInt8](repeating: UInt8(index), count: 1 + index * 20) }
            sender.send(sent.map { OutgoingDatagram(address: receiver.localAddress, bytes: $0) })
            // The socket's own writes skip what no read slot holds: this one goes out with sendto(2).
            sendRaw(Array(repeating: 1, count: BatchDatagramSocket.slot + 1), from: sender, to: receiver.localAddress)
            var received: [[UInt8]] = []
            var dropped = 0
            while received.count + dropped < sent.count + 1, receiver.waitReadable(milliseconds: 5000) {
                for index in 0..<receiver.receive() {
                    if let (bytes, from) = receiver.datagram(index) {
                        #expect(from == sender.localAddress)
                        received.append(Array(bytes))
                    } else {
                        dropped += 1
                    }
                }
            }
            #expect(received == sent)
            #expect(dropped == 1)
            receiver.close()
            sender.close()
        }
    }
}

extension BatchDatagramSocketTests {
    /// Runs to one address of one size (a reliable burst) go out as segmented writes on Linux,
    /// and may arrive as one coalesced read; every receiver still gets exactly its own
    /// datagrams, each whole, in order. With `refused`,
    /// the kernel refuses segmentation (a socket without UDP checksums cannot segment: EINVAL),
    /// over IPv4 and IPv6 alike,
    /// and the socket writes datagram by datagram instead, losing none.
    @Test(arguments: [false, true], ["127.0.0.1", "::1"])
    func segmentedRunsArriveAsTheSameSeparateDatagrams(refused: Bool, host: String) async throws {
        try await OffThePool.wait {
            let first = try BatchDatagramSocket.bind(host: host, port: 0)
            let second = try BatchDatagramSocket.bind(host: host, port: 0)
            let sender = try BatchDatagramSocket.bind(host: host, port: 0)
            #if os(Linux)
            #expect(sender.segmentsWrites)
            #expect(first.coalescesReads && second.coalescesReads, "runs may arrive as one read, split by receive()")
            if refused {
                // SO_NO_CHECK for IPv4; IPv6 has its own, UDP_NO_CHECK6_TX (101 at level SOL_UDP, 17).
                var on: Int32 = 1
                let (level, option) = sender.isIPv6 ? (Int32(17), Int32(101)) : (SOL_SOCKET, SO_NO_CHECK)
                #expect(setsockopt(sender.descriptor, level, option, &on, socklen_t(MemoryLayout<Int32>.size)) == 0)
                // And an IPv6 receiver takes datagrams without checksums only when told (UDP_NO_CHECK6_RX).
                for receiver in [first, second] where receiver.isIPv6 {
                    #expect(setsockopt(receiver.descriptor, 17, 102, &on, socklen_t(MemoryLayout<Int32>.size)) == 0)
                }
            }
            #endif
            // 45 full datagrams and a short one (past one batch of 32), three to the other socket,
            // a run of equal short ones, a longer one after them (which starts a new run), singles.
            var plan: [(to: BatchDatagramSocket, size: Int)] = Array(repeating: (first, 1230), count: 45) + [(first, 500)]
            plan += Array(repeating: (second, 1230), count: 3)
            plan += Array(repeating: (first, 1000), count: 10) + [(first, 1230), (second, 7), (first, 1)]
            let datagrams = plan.enumerated().map { index, entry in
                OutgoingDatagram(address: entry.to.localAddress, bytes: (0 ..< entry.size).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0) })
            }
            sender.send(datagrams)
            #if os(Linux)
            #expect(sender.segmentsWrites == !refused, "the kernel took the segmented writes unless refused")
            #endif
            for socket in [first, second] {
                let expected = datagrams.filter { $0.address == socket.localAddress }.map(\.bytes)
                var received: [[UInt8]] = []
                while received.count < expected.count, socket.waitReadable(milliseconds: 5000) {
                    for index in 0 ..< socket.receive() {
                        guard let (bytes, from) = socket.datagram(index) else { continue }
                        #expect(from == sender.localAddress)
                        received.append(Array(bytes))
                    }
                }
                #expect(received.map(\.count) == expected.map(\.count))
                let same = received == expected  // not inside #expect, which would print every byte
                #expect(same, "every datagram's bytes as sent")
            }
            for socket in [first, second, sender] { socket.close() }
        }
    }
}

/// One datagram from `socket`'s descriptor, past its batch writer.
func sendRaw(_ bytes: [UInt8], from socket: BatchDatagramSocket, to address: UDPAddress) {
    var storage = sockaddr_storage()
    withUnsafeMutableBytes(of: &storage) { raw in
        let length = address.write(socketAddressTo: raw.baseAddress!, fromIPv6Socket: socket.isIPv6)
        let sent = bytes.withUnsafeBytes {
            sendto(socket.descriptor, $0.baseAddress, $0.count, 0, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length)
        }
        #expect(sent == bytes.count)
    }
}
