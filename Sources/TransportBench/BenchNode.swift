import MeshTransport
import MeshTransportNIO
import MeshplayCore
import NIOCore
import NIOPosix

/// The core both ends of a transport bench run: every endpoint event and every tick go to
/// closures with the endpoint, on the driver's thread or loop, so a bench can answer at once.
package struct BenchCore: EndpointCore {
    package typealias Address = UDPAddress
    package typealias Event = Never

    package typealias EventBody = @Sendable (LinkEvent<UDPAddress>, inout MeshEndpoint<UDPAddress>) -> Void
    package typealias TickBody = @Sendable (inout MeshEndpoint<UDPAddress>) -> Void

    let onEvent: EventBody
    let onTick: TickBody

    package func receive(_ event: LinkEvent<UDPAddress>, endpoint: inout MeshEndpoint<UDPAddress>, at now: Timestamp, into output: inout CoreOutput<UDPAddress, Never>) {
        onEvent(event, &endpoint)
    }

    package func tick(endpoint: inout MeshEndpoint<UDPAddress>, at now: Timestamp, into output: inout CoreOutput<UDPAddress, Never>) {
        onTick(&endpoint)
    }
}

/// One bench node, whichever driver runs it.
package protocol BenchNode: Sendable {
    var peerID: PeerID { get }
    var localAddress: UDPAddress { get }
    func connect(to address: UDPAddress)
    /// Runs `body` with the endpoint on the node's thread or loop and returns its result.
    func run<Result: Sendable>(_ body: @escaping @Sendable (inout MeshEndpoint<UDPAddress>) -> Result) async throws -> Result
    func close() async
}

extension UDPDriver: BenchNode where Core == BenchCore {
    package func run<Result: Sendable>(_ body: @escaping @Sendable (inout MeshEndpoint<UDPAddress>) -> Result) async throws -> Result {
        try await withEndpoint(body).get()
    }
}

extension POSIXUDPDriver: BenchNode where Core == BenchCore {
    package func run<Result: Sendable>(_ body: @escaping @Sendable (inout MeshEndpoint<UDPAddress>) -> Result) async throws -> Result {
        try await withEndpoint(body)
    }
}

/// Which driver a bench runs its nodes on.
package enum BenchDriver: String, CaseIterable, Sendable {
    /// ``POSIXUDPDriver``: a thread per node, vector I/O; a pinger spins as ENet's bench client does.
    case posix
    /// ``UDPDriver``: the SwiftNIO event loop, one per node.
    case nio

    /// Two connected nodes: `a` (the pinger or sender, ticking every `tickA`) and `b`. With
    /// `spin`, the thread driver's `a` reads without sleeping (never when counting instructions,
    /// which would then count time).
    func makePair(
        host: String, group: MultiThreadedEventLoopGroup, tickA: TimeAmount = .milliseconds(5), spin: Bool = true,
        a onA: BenchCore, b onB: BenchCore
    ) async throws -> (any BenchNode, any BenchNode) {
        var entropy = SystemEntropy()
        let credentials = BenchTransport.credentials
        let identityA = NodeIdentity(entropy: &entropy)
        let identityB = NodeIdentity(entropy: &entropy)
        let a: any BenchNode
        let b: any BenchNode
        switch self {
        case .posix:
            a = try POSIXUDPDriver.bind(
                host: host, port: 0, identity: identityA, credentials: credentials, tickInterval: tickA, busyWait: spin ? .seconds(1) : .zero, core: { onA })
            b = try POSIXUDPDriver.bind(host: host, port: 0, identity: identityB, credentials: credentials, core: { onB })
        case .nio:
            a = try await UDPDriver.bind(
                host: host, port: 0, identity: identityA, credentials: credentials, tickInterval: tickA, group: group.next(), core: { onA })
            b = try await UDPDriver.bind(host: host, port: 0, identity: identityB, credentials: credentials, group: group.next(), core: { onB })
        }
        a.connect(to: b.localAddress)
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let waitingA = try await a.run { $0.connectedPeers.isEmpty }
            let waitingB = try await b.run { $0.connectedPeers.isEmpty }
            if !waitingA && !waitingB { break }
            guard ContinuousClock.now < deadline else {
                await a.close()
                await b.close()
                throw BenchError(description: "loopback handshake did not complete")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return (a, b)
    }
}
