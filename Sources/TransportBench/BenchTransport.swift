import MeshTransport
import MeshTransportNIO
import MeshplayCore
import NIOCore
import NIOPosix

/// The measurements behind `meshplay bench transport` and `transport-profile`.
package enum BenchTransport {
    package struct Percentiles {
        package var p50: Int
        package var p99: Int

        package init(_ samples: [Int64]) {
            let sorted = samples.sorted()
            p50 = Int(sorted.isEmpty ? 0 : sorted[sorted.count / 2]) / 1000
            p99 = Int(sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, sorted.count * 99 / 100)]) / 1000
        }

        /// For the progress line: "p50 31 µs, p99 80 µs".
        package var text: String { "p50 \(p50) µs, p99 \(p99) µs" }
    }

    package struct Rate {
        package var messagesPerSecond: Double
        package var megabytesPerSecond: Double

        /// For the progress line: "812345 msg/s, 52.0 MB/s".
        package var text: String { "\(Int(messagesPerSecond)) msg/s, \(String(format: "%.1f", megabytesPerSecond)) MB/s" }
    }

    static let credentials = MeshCredentials(meshName: "bench", password: "bench-password")

    /// Mutable state of one measurement, touched only on one node's thread or loop.
    final class PingState: @unchecked Sendable {
        var samples: [Int64] = []
        var sentAt: UInt64 = 0
        var remaining = 0
        var warmup = 0
        var done: EventLoopPromise<[Int64]>?
        var received = 0
        var lastActivity: UInt64 = 0
        var peer: PeerID?
        var pingNumber: UInt64 = 0
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

    /// Ping-pong of 64-byte messages through the sealed link: `a` sends, `b` echoes, `a` sends
    /// the next when the echo arrives. The first 1000 round trips warm up and are not counted.
    package static func meshPingPong(
        driver: BenchDriver, host: String, group: MultiThreadedEventLoopGroup, count: Int, reliable: Bool, spin: Bool = true
    ) async throws -> Percentiles {
        let state = PingState()
        state.remaining = count
        state.warmup = 1000
        state.done = group.next().makePromise()
        @Sendable func ping(_ endpoint: inout MeshEndpoint<UDPAddress>, to peer: PeerID) {
            state.sentAt = NIODeadline.now().uptimeNanoseconds
            state.lastActivity = state.sentAt
            state.pingNumber += 1
            // 64 bytes led by the ping's number, which the echo carries back.
            var payload = [UInt8](repeating: 0x5A, count: 64)
            withUnsafeBytes(of: state.pingNumber.littleEndian) { payload.replaceSubrange(0..<8, with: $0) }
            _ = reliable ? endpoint.sendReliable(payload, channel: 1, to: peer) : endpoint.sendUnreliable(payload, channel: 1, to: peer)
        }
        let pinger = BenchCore(
            onEvent: { event, endpoint in
                guard case .message(let peer, _, let bytes, _) = event, bytes.count == 64 else { return }
                // Only the echo of the ping in flight: after the watchdog's second ping, a late echo
                // of the first must not start a second chain.
                let number = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
                guard UInt64(littleEndian: number) == state.pingNumber else { return }
                recordPong(state)
                if state.remaining > 0 { ping(&endpoint, to: peer) }
            },
            onTick: { endpoint in
                // A lost datagram must not stall the chain.
                guard let peer = state.peer, state.remaining > 0,
                      NIODeadline.now().uptimeNanoseconds - state.lastActivity > 50_000_000 else { return }
                ping(&endpoint, to: peer)
            })
        let echo = BenchCore(
            onEvent: { event, endpoint in
                guard case .message(let peer, let channel, let bytes, let isReliable) = event else { return }
                _ = isReliable ? endpoint.sendReliable(bytes, channel: channel, to: peer) : endpoint.sendUnreliable(bytes, channel: channel, to: peer)
            },
            onTick: { _ in })
        let (a, b) = try await driver.makePair(host: host, group: group, spin: spin, a: pinger, b: echo)
        let target = b.peerID
        _ = try await a.run { endpoint in
            state.peer = target
            ping(&endpoint, to: target)
        }
        let samples = try await state.done!.futureResult.get()
        await a.close()
        await b.close()
        return Percentiles(samples)
    }

    /// Reliable messages of `size` bytes one way for `seconds`, after 300 ms of warm-up.
    package static func throughput(driver: BenchDriver, host: String, group: MultiThreadedEventLoopGroup, size: Int, seconds: Double) async throws -> Rate {
        let counter = PingState()  // touched on b's thread or loop only
        let (a, b) = try await startFlood(driver: driver, host: host, group: group, size: size, counter: counter, spin: false)
        try await Task.sleep(for: .milliseconds(300))
        let startCount = try await b.run { _ in counter.received }
        let start = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        let endCount = try await b.run { _ in counter.received }
        let elapsed = ContinuousClock.now - start
        await a.close()
        await b.close()
        let elapsedSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let messages = Double(endCount - startCount) / elapsedSeconds
        return Rate(messagesPerSecond: messages, megabytesPerSecond: messages * Double(size) / 1_000_000)
    }

    /// Reliable messages of `size` bytes one way until `b` has delivered `count` of them (for
    /// counting instructions per message, where a timed run would not repeat).
    package static func flood(
        driver: BenchDriver, host: String, group: MultiThreadedEventLoopGroup, size: Int, count: Int, spin: Bool = true
    ) async throws {
        let counter = PingState()  // touched on b's thread or loop only
        counter.remaining = count
        counter.done = group.next().makePromise()
        let (a, b) = try await startFlood(driver: driver, host: host, group: group, size: size, counter: counter, spin: spin)
        _ = try await counter.done!.futureResult.get()
        await a.close()
        await b.close()
    }

    /// Two nodes where `a` keeps its send queue topped up every millisecond (acknowledgements
    /// clock the sending) and `b` counts what it delivers in `counter.received`, succeeding
    /// `counter.done` when it reaches `counter.remaining`.
    private static func startFlood(
        driver: BenchDriver, host: String, group: MultiThreadedEventLoopGroup, size: Int, counter: PingState, spin: Bool
    ) async throws -> (any BenchNode, any BenchNode) {
        let message = [UInt8](repeating: 0x33, count: size)
        let sender = BenchCore(
            onEvent: { _, _ in },
            onTick: { endpoint in
                guard let target = endpoint.connectedPeers.first else { return }
                var queued = 0
                while queued < 100_000, endpoint.sendReliable(message, channel: 1, to: target) == .queued { queued += 1 }
            })
        let receiver = BenchCore(
            onEvent: { event, _ in
                guard case .message = event else { return }
                counter.received += 1
                if counter.received == counter.remaining { counter.done?.succeed([]) }
            },
            onTick: { _ in })
        // On two cores a spinning sender starves the receiver it waits for: the timed bench never spins it.
        return try await driver.makePair(host: host, group: group, tickA: .milliseconds(1), spin: spin, a: sender, b: receiver)
    }
}
