import MeshTransport
import MeshTransportNIO
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The baselines: 64-byte datagrams echoed with no Meshplay protocol, in each driver's I/O style.
extension BenchTransport {
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

    /// Bare UDP ping-pong on two SwiftNIO event loops: the floor under ``UDPDriver``.
    package static func bareNIOPingPong(host: String, count: Int, group: MultiThreadedEventLoopGroup) async throws -> Percentiles {
        let loopA = group.next()
        let loopB = group.next()
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

    /// Bare UDP ping-pong in ``POSIXUDPDriver``'s style, the floor under it: the echo thread
    /// sleeps in poll(2) and answers with vector I/O, the pinger spins on non-blocking reads
    /// (as ENet's bench client and the C baseline in scripts/bench-vs-enet do).
    package static func bareThreadPingPong(host: String, count: Int) async throws -> Percentiles {
        let echo = try BatchDatagramSocket.bind(host: host, port: 0)
        let pinger = try BatchDatagramSocket.bind(host: host, port: 0)
        let threads = NIOThreadPool(numberOfThreads: 2)
        threads.start()
        let stopped = NIOLockedValueBox(false)
        threads.submit { _ in
            var replies: [OutgoingDatagram<UDPAddress>] = []
            while !stopped.withLockedValue({ $0 }) {
                let count = echo.receive()
                if count == 0 {
                    _ = echo.waitReadable(milliseconds: 10)
                    continue
                }
                for index in 0..<count {
                    guard let (bytes, from) = echo.datagram(index) else { continue }
                    replies.append(OutgoingDatagram(address: from, bytes: Array(bytes)))
                }
                echo.send(replies)
                replies.removeAll(keepingCapacity: true)
            }
        }
        let target = echo.localAddress
        let samples = try await threads.runIfActive { () -> [Int64] in
            let ping = [OutgoingDatagram(address: target, bytes: [UInt8](repeating: 0x5A, count: 64))]
            var samples: [Int64] = []
            samples.reserveCapacity(count)
            for index in 0..<(count + 1000) {
                let start = NIODeadline.now().uptimeNanoseconds
                pinger.send(ping)
                var got = 0
                while got == 0, NIODeadline.now().uptimeNanoseconds - start < 1_000_000_000 { got = pinger.receive() }
                // A lost datagram is not a sample; the first 1000 warm up.
                if got > 0, index >= 1000 { samples.append(Int64(NIODeadline.now().uptimeNanoseconds - start)) }
            }
            return samples
        }
        stopped.withLockedValue { $0 = true }
        try await threads.shutdownGracefully()
        echo.close()
        pinger.close()
        return Percentiles(samples)
    }
}

/// A measurement that could not be made (exit 1; not a usage error, so not a `ValidationError`).
package struct BenchError: Error, CustomStringConvertible {
    package var description: String
}
