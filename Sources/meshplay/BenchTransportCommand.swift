import ArgumentParser
import Foundation
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// `meshplay bench transport`: two nodes over real loopback UDP.
///
/// Measures, in one run: a bare UDP ping-pong (the baseline, no Meshplay protocol),
/// reliable and unreliable ping-pong round trips through the sealed link, and one-way
/// reliable throughput for 64-byte and 1 KiB messages.
struct BenchTransportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Measure MeshTransport over loopback UDP against a bare UDP baseline.")

    @Flag(help: "Print one JSON object instead of a table.")
    var json = false

    // Numbers parse `.unconditional`ly: in `--ticks -5` the "-5" is the value, refused with the
    // option's range by validate(), where ArgumentParser would take it for an option ("Missing value").
    @Option(parsing: .unconditional, help: "Round trips per ping-pong measurement.")
    var pings = 20_000

    @Option(parsing: .unconditional, help: "Seconds per throughput measurement.")
    var seconds = 2.0

    @Option(help: "Host to bind both nodes to (127.0.0.1 or ::1).")
    var host = "127.0.0.1"

    func validate() throws {
        guard (1...10_000_000).contains(pings) else { throw ValidationError("--pings must be 1-10000000, got \(pings)") }
        guard seconds > 0, seconds <= 3600 else { throw ValidationError("--seconds must be more than 0 and at most 3600, got \(seconds)") }
    }

    func run() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loopA = group.next()
        let loopB = group.next()
        let trips = "\(pings) round trips"
        let baseline = try await BenchStep.run("bare UDP ping-pong, \(trips)", result: \.text) {
            try await BenchTransport.bareUDPPingPong(host: host, count: pings, loopA: loopA, loopB: loopB)
        }
        let reliable = try await BenchStep.run("reliable 64 B ping-pong, \(trips)", result: \.text) {
            try await BenchTransport.meshPingPong(host: host, count: pings, reliable: true, loopA: loopA, loopB: loopB)
        }
        let unreliable = try await BenchStep.run("unreliable 64 B ping-pong, \(trips)", result: \.text) {
            try await BenchTransport.meshPingPong(host: host, count: pings, reliable: false, loopA: loopA, loopB: loopB)
        }
        let small = try await BenchStep.run("reliable 64 B one way, \(seconds) s", result: \.text) {
            try await BenchTransport.throughput(host: host, size: 64, seconds: seconds, loopA: loopA, loopB: loopB)
        }
        let large = try await BenchStep.run("reliable 1 KiB one way, \(seconds) s", result: \.text) {
            try await BenchTransport.throughput(host: host, size: 1024, seconds: seconds, loopA: loopA, loopB: loopB)
        }
        try await group.shutdownGracefully()

        let overhead = PacketHeader.overhead
        if json {
            // The same writer as every other `--json` in meshplay: fields in a fixed order.
            func percentiles(_ rtt: BenchTransport.Percentiles) -> String {
                var object = JSONText()
                object.field("p50", int: rtt.p50)
                object.field("p99", int: rtt.p99)
                return object.object
            }
            var object = JSONText()
            object.field("reliableRttMicros", percentiles(reliable))
            object.field("unreliableRttMicros", percentiles(unreliable))
            object.field("baselineUdpRttMicros", percentiles(baseline))
            object.field("reliableMessagesPerSecond64", int: Int(small.messagesPerSecond.rounded()))
            object.field("reliableMessagesPerSecond1K", int: Int(large.messagesPerSecond.rounded()))
            object.field("reliableMegabytesPerSecond1K", String(format: "%.1f", large.megabytesPerSecond))
            object.field("overheadBytes", int: overhead)
            print(object.object)
        } else {
            print("MeshTransport over loopback UDP (\(host)), \(pings) round trips each, \(seconds) s per throughput run")
            print("  bare UDP ping-pong RTT        p50 \(baseline.p50) µs   p99 \(baseline.p99) µs   (baseline)")
            print("  reliable 64 B ping-pong RTT   p50 \(reliable.p50) µs   p99 \(reliable.p99) µs   (\(String(format: "%.2f", Double(reliable.p50) / Double(max(baseline.p50, 1))))× baseline)")
            print("  unreliable 64 B ping-pong RTT p50 \(unreliable.p50) µs   p99 \(unreliable.p99) µs")
            print("  reliable 64 B one way         \(Int(small.messagesPerSecond)) msg/s   \(String(format: "%.1f", small.megabytesPerSecond)) MB/s")
            print("  reliable 1 KiB one way        \(Int(large.messagesPerSecond)) msg/s   \(String(format: "%.1f", large.megabytesPerSecond)) MB/s")
            print("  per-packet overhead           \(overhead) B (14 B header + 16 B Poly1305 tag); plus 1-15 B flags/ack block and 4-6 B per reliable frame inside the sealed payload")
        }
    }
}

/// A measurement that could not be made (exit 1; not a usage error, so not a `ValidationError`).
struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// The measurements behind `meshplay bench transport`.
enum BenchTransport {
    struct Percentiles {
        var p50: Int
        var p99: Int

        init(_ samples: [Int64]) {
            let sorted = samples.sorted()
            p50 = Int(sorted.isEmpty ? 0 : sorted[sorted.count / 2]) / 1000
            p99 = Int(sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]) / 1000
        }

        /// For the progress line: "p50 31 µs, p99 80 µs".
        var text: String { "p50 \(p50) µs, p99 \(p99) µs" }
    }

    struct Rate {
        var messagesPerSecond: Double
        var megabytesPerSecond: Double

        /// For the progress line: "812345 msg/s, 52.0 MB/s".
        var text: String { "\(Int(messagesPerSecond)) msg/s, \(String(format: "%.1f", megabytesPerSecond)) MB/s" }
    }

    static let credentials = MeshCredentials(meshName: "bench", password: "bench-password")

    /// Loop-confined mutable state shared between a bench's handlers (touched on one event loop only).
    final class PingState: @unchecked Sendable {
        var samples: [Int64] = []
        var sentAt: UInt64 = 0
        var remaining = 0
        var warmup = 0
        var done: EventLoopPromise<[Int64]>?
        var received = 0
        var lastActivity: UInt64 = 0
    }

    // MARK: Bare UDP

    final class EchoHandler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            let bytes = Array(envelope.data.readableBytesView)
            let reply = context.channel.allocator.buffer(bytes: bytes)
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: reply)), promise: nil)
        }
    }

    final class PingHandler: ChannelInboundHandler {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let state: PingState
        let target: SocketAddress
        let payload = [UInt8](repeating: 0x5A, count: 64)

        init(state: PingState, target: SocketAddress) {
            self.state = state
            self.target = target
        }

        func ping(context: ChannelHandlerContext) {
            state.sentAt = NIODeadline.now().uptimeNanoseconds
            state.lastActivity = state.sentAt
            let buffer = context.channel.allocator.buffer(bytes: payload)
            context.writeAndFlush(wrapOutboundOut(AddressedEnvelope(remoteAddress: target, data: buffer)), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            _ = Array(envelope.data.readableBytesView)
            BenchTransport.recordPong(state)
            if state.remaining > 0 { ping(context: context) }
        }
    }

    static func recordPong(_ state: PingState) {
        let now = NIODeadline.now().uptimeNanoseconds
        if state.warmup > 0 {
            state.warmup -= 1
        } else {
            state.samples.append(Int64(now - state.sentAt))
            state.remaining -= 1
            if state.remaining == 0 { state.done?.succeed(state.samples) }
        }
    }

    static func bareUDPPingPong(host: String, count: Int, loopA: EventLoop, loopB: EventLoop) async throws -> Percentiles {
        let echo = try await DatagramBootstrap(group: loopB)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(EchoHandler()) }
            }
            .bind(host: host, port: 0).get()
        let target = echo.localAddress!
        let state = PingState()
        state.remaining = count
        state.warmup = 1000
        state.done = loopA.makePromise()
        let pinger = try await DatagramBootstrap(group: loopA)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(PingHandler(state: state, target: target)) }
            }
            .bind(host: host, port: 0).get()
        try await loopA.submit {
            let context = NIOLoopBound(try pinger.pipeline.syncOperations.context(handlerType: PingHandler.self), eventLoop: loopA)
            let handler = NIOLoopBound(try pinger.pipeline.syncOperations.handler(type: PingHandler.self), eventLoop: loopA)
            handler.value.ping(context: context.value)
            // A lost datagram must not stall the chain.
            loopA.scheduleRepeatedTask(initialDelay: .milliseconds(50), delay: .milliseconds(50)) { task in
                if state.remaining == 0 { task.cancel(); return }
                if NIODeadline.now().uptimeNanoseconds - state.lastActivity > 50_000_000 { handler.value.ping(context: context.value) }
            }
        }.get()
        let samples = try await state.done!.futureResult.get()
        try await pinger.close()
        try await echo.close()
        return Percentiles(samples)
    }

    // MARK: Mesh nodes

    static func makePair(
        host: String, loopA: EventLoop, loopB: EventLoop,
        onA: @escaping LinkEventHandler.Body, onB: @escaping LinkEventHandler.Body
    ) async throws -> (UDPDriver<LinkEventHandler>, UDPDriver<LinkEventHandler>) {
        var entropy = SystemEntropy()
        let a = try await UDPDriver.bind(host: host, port: 0, identity: NodeIdentity(entropy: &entropy), credentials: credentials, group: loopA,
                                         core: { LinkEventHandler(onA) })
        let b = try await UDPDriver.bind(host: host, port: 0, identity: NodeIdentity(entropy: &entropy), credentials: credentials, group: loopB,
                                         core: { LinkEventHandler(onB) })
        a.connect(to: b.localAddress)
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let waitingA = try await a.withEndpoint({ $0.connectedPeers.isEmpty }).get()
            let waitingB = try await b.withEndpoint({ $0.connectedPeers.isEmpty }).get()
            if !waitingA && !waitingB { break }
            guard ContinuousClock.now < deadline else { throw BenchError(description: "loopback handshake did not complete") }
            try await Task.sleep(for: .milliseconds(5))
        }
        return (a, b)
    }

    static func meshPingPong(host: String, count: Int, reliable: Bool, loopA: EventLoop, loopB: EventLoop) async throws -> Percentiles {
        let state = PingState()
        state.remaining = count
        state.warmup = 1000
        state.done = loopA.makePromise()
        let payload = [UInt8](repeating: 0x5A, count: 64)
        let peerB = NIOLockedValueBox<PeerID?>(nil)
        @Sendable func ping(_ endpoint: inout MeshEndpoint<UDPAddress>, to peer: PeerID) {
            state.sentAt = NIODeadline.now().uptimeNanoseconds
            state.lastActivity = state.sentAt
            _ = reliable ? endpoint.sendReliable(payload, channel: 1, to: peer) : endpoint.sendUnreliable(payload, channel: 1, to: peer)
        }
        let (a, b) = try await makePair(
            host: host, loopA: loopA, loopB: loopB,
            onA: { event, endpoint in
                guard case .message(let peer, _, _, _) = event else { return }
                recordPong(state)
                if state.remaining > 0 { ping(&endpoint, to: peer) }
            },
            onB: { event, endpoint in
                guard case .message(let peer, let channel, let bytes, let isReliable) = event else { return }
                _ = isReliable ? endpoint.sendReliable(bytes, channel: channel, to: peer) : endpoint.sendUnreliable(bytes, channel: channel, to: peer)
            })
        peerB.withLockedValue { $0 = b.peerID }
        let target = b.peerID
        a.withEndpoint { endpoint in ping(&endpoint, to: target) }
        let watchdog = loopA.scheduleRepeatedTask(initialDelay: .milliseconds(50), delay: .milliseconds(50)) { task in
            if state.remaining == 0 { task.cancel(); return }
            if NIODeadline.now().uptimeNanoseconds - state.lastActivity > 50_000_000 {
                a.withEndpoint { endpoint in ping(&endpoint, to: target) }
            }
        }
        let samples = try await state.done!.futureResult.get()
        watchdog.cancel()
        await a.close()
        await b.close()
        return Percentiles(samples)
    }

    static func throughput(host: String, size: Int, seconds: Double, loopA: EventLoop, loopB: EventLoop) async throws -> Rate {
        let counter = PingState()  // touched on loop B only
        let (a, b) = try await makePair(
            host: host, loopA: loopA, loopB: loopB,
            onA: { _, _ in },
            onB: { event, _ in
                if case .message = event { counter.received += 1 }
            })
        let target = b.peerID
        let message = [UInt8](repeating: 0x33, count: size)
        // Keep the send queue topped up; acknowledgements (read on loop A) clock the sending itself.
        let pump = loopA.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { _ in
            a.withEndpoint { endpoint in
                var queued = 0
                while queued < 100_000, endpoint.sendReliable(message, channel: 1, to: target) == .queued { queued += 1 }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        let startCount = try await loopB.submit { counter.received }.get()
        let start = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let endCount = try await loopB.submit { counter.received }.get()
        let elapsed = ContinuousClock.now - start
        pump.cancel()
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let messages = Double(endCount - startCount) / elapsedSeconds
        await a.close()
        await b.close()
        return Rate(messagesPerSecond: messages, megabytesPerSecond: messages * Double(size) / 1_000_000)
    }
}
