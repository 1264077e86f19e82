import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
@testable import MeshTransportNIO

/// The transport tests' mesh, with a password.
let testCredentials = MeshCredentials(meshName: "test-mesh", password: "correct horse")

/// A deterministic message body for message `index` of stream `stream`: its index, then filler of varying length.
func messageBody(_ index: Int, stream: UInt8, maxFiller: Int = 180) -> [UInt8] {
    var bytes: [UInt8] = [stream, UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index >> 16)]
    let filler = (index * 7919) % (maxFiller + 1)
    for offset in 0..<filler { bytes.append(UInt8(truncatingIfNeeded: index &+ offset &* 31)) }
    return bytes
}

/// A driver whose every endpoint event goes to a log.
typealias EventNode = UDPDriver<LinkEventHandler>

/// Collects a node's events from its event-loop handler.
final class EventLog: Sendable {
    private let box = NIOLockedValueBox<[LinkEvent<UDPAddress>]>([])

    var handler: LinkEventHandler.Body {
        { [box] event, _ in box.withLockedValue { $0.append(event) } }
    }

    var events: [LinkEvent<UDPAddress>] { box.withLockedValue { $0 } }

    var linkUps: [PeerID] { events.compactMap { if case .linkUp(let peer, _) = $0 { peer } else { nil } } }

    /// Link ups and losses and the count of everything, for a failure's report.
    var summary: String {
        var parts: [String] = []
        for event in events {
            switch event {
            case .linkUp(let peer, let address): parts.append("up \(peer) at \(address)")
            case .linkLost(let peer, let reason): parts.append("lost \(peer): \(reason)")
            default: break
            }
        }
        return parts.joined(separator: "; ") + " (\(events.count) events)"
    }

    func messages(from peer: PeerID, reliable: Bool) -> [[UInt8]] {
        events.compactMap {
            if case .message(let source, _, let bytes, let isReliable) = $0, source == peer, isReliable == reliable { bytes } else { nil }
        }
    }

    /// Polls until `condition` holds or `seconds` pass; returns whether it held. Generous: a
    /// busy CI machine shares two cores among every test at once, and only a failure waits it out.
    func wait(seconds: Double = 60, until condition: (EventLog) -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try await Task.sleep(for: .milliseconds(10))
        }
        return condition(self)
    }
}

@Suite struct LoopbackTests {
    /// Each test's nodes on an event loop of their own: on the process-wide loops they would
    /// share threads with every other socket test's nodes, and a loop busy with those for
    /// longer than the link timeout (5 s) ends these links (a loaded full-suite run did).
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    /// A node whose links outlast a long stall: these tests are about delivery, and a debug build on
    /// a loaded machine can take seconds to work through one peer's 2 MB burst, while another peer's
    /// keepalives wait in the same socket queue behind it (a loaded run had the idle link between
    /// the two other nodes time out at the default 5 s, and its messages were then never sent).
    func makeNode(host: String, seed: UInt64, log: EventLog) async throws -> EventNode {
        var entropy = SeededEntropy(seed: seed)
        let handler = log.handler
        var configuration = LinkConfiguration()
        configuration.linkTimeout = .seconds(120)
        return try await UDPDriver.bind(
            host: host, port: 0, identity: NodeIdentity(entropy: &entropy), credentials: testCredentials,
            configuration: configuration, group: group, core: { LinkEventHandler(handler) })
    }

    @Test func threeNodesOverIPv4ExchangeReliableAndUnreliable() async throws {
        try await OffThePool.wait {
            let logs = [EventLog(), EventLog(), EventLog()]
            var nodes: [EventNode] = []
            for index in 0..<3 { nodes.append(try await makeNode(host: "127.0.0.1", seed: UInt64(index + 1), log: logs[index])) }
            nodes[0].connect(to: nodes[1].localAddress)
            nodes[0].connect(to: nodes[2].localAddress)
            nodes[1].connect(to: nodes[2].localAddress)
            for log in logs { #expect(try await log.wait { $0.linkUps.count == 2 }) }
            let count = 2000
            for sender in 0..<3 {
                for receiver in 0..<3 where receiver != sender {
                    let peer = nodes[receiver].peerID
                    try await nodes[sender].withEndpoint { endpoint in
                        for index in 0..<count { _ = endpoint.sendReliable(messageBody(index, stream: UInt8(sender), maxFiller: 900), channel: 1, to: peer) }
                        _ = endpoint.sendReliable(Array(repeating: 0xAB, count: 65536), channel: 2, to: peer)
                        for index in 0..<50 { _ = endpoint.sendUnreliable(messageBody(index, stream: UInt8(sender), maxFiller: 40), channel: 3, to: peer) }
                    }.get()
                }
            }
            for receiver in 0..<3 {
                for sender in 0..<3 where sender != receiver {
                    let peer = nodes[sender].peerID
                    #expect(try await logs[receiver].wait { $0.messages(from: peer, reliable: true).count == count + 1 })
                    if logs[receiver].messages(from: peer, reliable: true).count != count + 1 {
                        for (index, log) in logs.enumerated() { print("node \(index) saw: \(log.summary)") }
                    }
                    let expected = (0..<count).map { messageBody($0, stream: UInt8(sender), maxFiller: 900) } + [Array(repeating: 0xAB, count: 65536)]
                    #expect(logs[receiver].messages(from: peer, reliable: true) == expected)
                    let unreliable = logs[receiver].messages(from: peer, reliable: false)
                    #expect(unreliable.count <= 50 && Set(unreliable).count == unreliable.count)
                    #expect(unreliable.allSatisfy { $0 == messageBody(Int($0[1]), stream: UInt8(sender), maxFiller: 40) })
                }
            }
            let stats = try await nodes[0].stats(for: nodes[1].peerID)
            #expect(stats?.smoothedRTT != nil)
            #expect((stats?.bytesReceived ?? 0) > 0)
            for node in nodes { await node.close() }
            try await group.shutdownGracefully()
        }
    }

    @Test func twoNodesOverIPv6() async throws {
        try await OffThePool.wait {
            let logA = EventLog(), logB = EventLog()
            let a = try await makeNode(host: "::1", seed: 11, log: logA)
            let b = try await makeNode(host: "::1", seed: 12, log: logB)
            a.connect(to: b.localAddress)
            #expect(try await logB.wait { $0.linkUps == [a.peerID] })
            #expect(try await logA.wait { $0.linkUps == [b.peerID] })
            #expect(try await a.sendReliable([1, 2, 3], channel: 0, to: b.peerID) == .queued)
            #expect(try await a.sendUnreliable([4], channel: 1, to: b.peerID) == .queued)
            #expect(try await logB.wait { $0.messages(from: a.peerID, reliable: true) == [[1, 2, 3]] })
            #expect(try await logB.wait { $0.messages(from: a.peerID, reliable: false).count == 1 })
            await a.close()
            await b.close()
            try await group.shutdownGracefully()
        }
    }

    @Test func aNodeWithTheWrongPasswordIsIgnoredOverUDP() async throws {
        try await OffThePool.wait {
            let log = EventLog(), strangerLog = EventLog()
            let node = try await makeNode(host: "127.0.0.1", seed: 21, log: log)
            var entropy = SeededEntropy(seed: 22)
            var configuration = LinkConfiguration()
            configuration.connectTimeout = .seconds(1)
            let strangerHandler = strangerLog.handler
            let stranger = try await UDPDriver.bind(
                host: "127.0.0.1", port: 0, identity: NodeIdentity(entropy: &entropy),
                credentials: MeshCredentials(meshName: "test-mesh", password: "nope"), configuration: configuration,
                group: group, core: { LinkEventHandler(strangerHandler) })
            stranger.connect(to: node.localAddress)
            #expect(try await strangerLog.wait { $0.events.contains { if case .connectFailed = $0 { true } else { false } } })
            #expect(log.events.isEmpty)
            let counters = try await node.withEndpoint { $0.counters }.get()
            #expect(counters.accepted == 0 && counters.rejected > 0 && counters.cookiesSent == 0)
            await node.close()
            await stranger.close()
            try await group.shutdownGracefully()
        }
    }
}

@Suite struct UDPBindTests {
    @Test func aTakenPortIsRefusedWithItsAddressAndReason() async throws {
        try await OffThePool.wait {
            var entropy = SeededEntropy(seed: 31)
            let first = try await UDPDriver.bind(
                host: "127.0.0.1", port: 0, identity: NodeIdentity(entropy: &entropy), credentials: testCredentials,
                core: { LinkEventHandler { _, _ in } })
            defer { Task { await first.close() } }
            let port = Int(first.localAddress.port)
            do {
                _ = try await UDPDriver.bind(
                    host: "127.0.0.1", port: port, identity: NodeIdentity(entropy: &entropy), credentials: testCredentials,
                    core: { LinkEventHandler { _, _ in } })
                Issue.record("a second socket bound a port already held")
            } catch let error as UDPBindError {
                #expect(error.isAddressInUse)
                #expect(error.description == "cannot listen on UDP 127.0.0.1:\(port): Address already in use")
            }
        }
    }

    @Test func addressesConvertBothWays() throws {
        for text in ["127.0.0.1", "::1", "10.1.2.3", "fe80::1"] {
            let address = try #require(UDPAddress(ipAddress: text, port: 4000))
            #expect(UDPAddress(address.socketAddress) == address)
            #expect(address.socketAddress.port == 4000)
            #expect(address.ipAddress == text)
        }
        #expect(UDPAddress(ipAddress: "::1", port: 4000)?.description == "[::1]:4000")
        #expect(UDPAddress(ipAddress: "host.example", port: 4000) == nil)
        #expect(UDPAddress(ipAddress: "127.0.0.1", port: 70000) == nil)
    }

    /// A dual-stack socket hears an IPv4 sender at `::ffff:a.b.c.d`: that is the IPv4 address,
    /// and such a socket writes to an IPv4 address at its mapped form.
    @Test func ipv4MappedAddressesAreIPv4() throws {
        let mapped = try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 4000)
        #expect(UDPAddress(mapped) == UDPAddress(ipAddress: "192.0.2.7", port: 4000))
        let v4 = try #require(UDPAddress(ipAddress: "192.0.2.7", port: 4000))
        #expect(v4.socketAddress(fromIPv6Socket: true) == mapped)
        #expect(v4.socketAddress(fromIPv6Socket: false) == v4.socketAddress)
        let v6 = try #require(UDPAddress(ipAddress: "2001:db8::1", port: 5))
        #expect(v6.socketAddress(fromIPv6Socket: true) == v6.socketAddress)
    }
}
