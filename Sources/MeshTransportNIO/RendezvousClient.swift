import MeshTransport
import MeshplayCore
import NIOCore
import NIOPosix

/// A datagram a rendezvous node asks a peer's game socket to send: the socket the peer's
/// links use, so it opens the NAT mapping they need.
public enum GameSocketDatagram: Sendable, Equatable {
    /// One ``MeshEndpoint/punchDatagram`` toward a newcomer.
    case punch(toward: UDPAddress)
    /// These bytes to a relay port of the node, binding it (then dial, or expect a newcomer from, `relay`).
    case relayBind(_ bytes: [UInt8], relay: UDPAddress)

    /// Where it goes.
    public var destination: UDPAddress {
        switch self {
        case .punch(let address): address
        case .relayBind(_, let relay): relay
        }
    }

    /// What the socket does, for a log line: "punching toward 203.0.113.7:40000 for a newcomer".
    public var summary: String {
        switch self {
        case .punch(let address): "punching toward \(address) for a newcomer"
        case .relayBind(_, let relay): "binding relay \(relay) for a newcomer"
        }
    }

    /// What it carries.
    public var bytes: [UInt8] {
        switch self {
        case .punch: MeshEndpoint<UDPAddress>.punchDatagram
        case .relayBind(let bytes, _): bytes
        }
    }
}

/// Talks to a rendezvous node: registers a port under mesh names and resolves mesh names
/// (the `--resolver HOST:PORT` resolver). A thin shell: the protocol is in the sans-I/O
/// ``RendezvousRegistrar`` and ``RendezvousLookup``, run here over one UDP socket each.
public struct RendezvousClient: MeshResolver {
    /// The rendezvous node.
    public var server: UDPAddress
    /// How long to wait for each answer.
    public var timeout: TimeAmount
    /// Resolve attempts before giving up (UDP may lose a datagram).
    public var attempts: Int

    /// A client of the rendezvous node at `server`.
    public init(server: UDPAddress, timeout: TimeAmount = .milliseconds(500), attempts: Int = 3) {
        self.server = server
        self.timeout = timeout
        self.attempts = attempts
    }

    /// How often the shells look at their core's timers (the cores' intervals are 1-10 s).
    static let pollInterval = TimeAmount.milliseconds(50)

    /// Registers this host's `port` under each of `names` once: returns when the node stored
    /// them all (after its cookie round trip); throws ``MeshResolverError/noAnswer`` when it
    /// did not within `timeout × attempts`.
    public func register(names: [String], port: Int) async throws {
        guard try await runRegistrar(names: names, port: port, untilRegistered: true) else { throw MeshResolverError.noAnswer }
    }

    /// Registers this host's `port` as a member of `meshName` once (see ``register(names:port:)``).
    public func register(meshName: String, port: Int) async throws {
        try await register(names: [meshName], port: port)
    }

    /// Keeps `port` registered under `names` (renewed every 10 s, retried every second while
    /// unacknowledged) until the task is cancelled. `onGameSocket` hears each datagram the node
    /// asks the member's game socket to send (paced by the ``RendezvousRegistrar``): a punch
    /// toward a newcomer (so its NAT lets the newcomer's handshake in), or the bind of a relay
    /// port on the node (a newcomer that cannot reach it comes that way). `details`, asked at
    /// most once a second, is attached to every registration (a room's signed advert), and so
    /// is `local`, the LAN address behind this host's NAT (a private IPv4 address: askers behind
    /// the same NAT get it instead of the public one).
    public func keepRegistered(
        names: [String], port: Int, onGameSocket: (@Sendable (GameSocketDatagram) -> Void)? = nil,
        details: (@Sendable () -> [UInt8])? = nil, local: UDPAddress? = nil
    ) async {
        while !Task.isCancelled {
            // Only a failed bind ends a run early: try again shortly.
            _ = try? await runRegistrar(
                names: names, port: port, untilRegistered: false, onGameSocket: onGameSocket, details: details, local: local)
            try? await Task.sleep(for: .seconds(1))
        }
    }

    /// Keeps `port` registered under `meshName` until the task is cancelled.
    public func keepRegistered(meshName: String, port: Int) async {
        await keepRegistered(names: [meshName], port: port)
    }

    /// Resolves `names` every `interval` (2 s) for `duration` or until `isDone` returns true
    /// (with `introducingPort`, asks the node to introduce this host at that port, so the
    /// members punch toward it; with `relayAfter`, asks the node to relay to each room member
    /// heard that long ago, and `onRelay` gets each relay granted: the game socket sends the
    /// bind bytes to the relay address, then dials it);
    /// `onFound` gets each address once, as heard (a room's own name first when it is first
    /// in `names`). A joiner runs this while it is not in its room yet, so a host that
    /// registers late, or one hidden by a flood that stopped, is still found.
    public func lookup(
        names: [String], for duration: TimeSpan, interval: TimeSpan = .seconds(2),
        introducingPort: UInt16? = nil, relayAfter: TimeSpan? = nil,
        onFound: @escaping @Sendable ([UDPAddress]) -> Void,
        onRelay: @escaping @Sendable (_ relay: UDPAddress, _ bind: [UInt8], _ member: UDPAddress) -> Void = { _, _, _ in },
        reached: @escaping @Sendable () -> [UDPAddress] = { [] },
        isDone: @escaping @Sendable () -> Bool = { false }
    ) async throws {
        var entropy = SystemEntropy()
        let now = Timestamp.monotonicNow
        var core = RendezvousLookup(
            names: names, from: now, until: now + duration, interval: interval, requestIDs: entropy.next(), introducingPort: introducingPort)
        core.relayAfter = relayAfter
        let server = self.server
        try await run(core) { core, bytes in
            var replies: [[UInt8]] = []
            var grants: [RendezvousLookup.RelayGrant] = []
            let added = core.receive(bytes, at: .monotonicNow, replies: &replies, grants: &grants)
            if !added.isEmpty { onFound(added) }
            for grant in grants { onRelay(server.withPort(grant.port), RendezvousMessage.relayBind(token: grant.token), grant.member) }
            return replies
        } tick: { core, now in
            if now >= core.nextDeadline { core.reached = reached() }
            return (core.tick(at: now), core.isOver(at: now) || isDone())
        }
    }

    public func resolve(meshName: String) async throws -> [UDPAddress] {
        try await resolve(meshName: meshName, introducingPort: nil)
    }

    /// Resolves `meshName` once; with `introducingPort`, as an introduction: the node also asks
    /// each member to punch toward this host's IP at that port (the socket that will dial them).
    public func resolve(meshName: String, introducingPort: UInt16?) async throws -> [UDPAddress] {
        let requestID = UInt64.random(in: 1 ... .max)
        let request = introducingPort.map { RendezvousMessage.introduce(requestID: requestID, meshName: meshName, port: $0).encoded }
            ?? RendezvousMessage.resolve(requestID: requestID, meshName: meshName).encoded
        return try await ask(request) { reply in
            guard case .answer(requestID, let addresses) = reply else { return nil }
            return addresses
        }
    }

    /// What the member at `member` attached to its registration under `meshName` (a room's
    /// signed advert; empty: nothing): how a lobby lists a room no path reaches from here.
    public func describe(meshName: String, member: UDPAddress) async throws -> [UInt8] {
        let requestID = UInt64.random(in: 1 ... .max)
        return try await ask(RendezvousMessage.describe(requestID: requestID, meshName: meshName, member: member).encoded) { reply in
            guard case .description(requestID, member, let details) = reply else { return nil }
            return details
        }
    }

    /// Sends `request` from a fresh socket up to ``attempts`` times, ``timeout`` apart, and
    /// returns the first reply `match` takes; throws ``MeshResolverError/noAnswer`` after the last.
    private func ask<Answer: Sendable>(_ request: [UInt8], match: @escaping @Sendable (RendezvousMessage?) -> Answer?) async throws -> Answer {
        let (stream, continuation) = AsyncStream<Answer>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let server = self.server
        let socket = try await DatagramSocket.bind(host: bindHost, port: 0) { bytes, from, _ in
            guard from == server, let answer = match(RendezvousMessage(decoding: bytes)) else { return }
            continuation.yield(answer)
            continuation.finish()
        }
        let loop = socket.channel.eventLoop
        var tasks: [Scheduled<Void>] = []
        for attempt in 0..<attempts {
            tasks.append(loop.scheduleTask(in: timeout * Int64(attempt)) { socket.send(request, to: server) })
        }
        tasks.append(loop.scheduleTask(in: timeout * Int64(attempts)) { continuation.finish() })
        var answer: Answer?
        for await reply in stream { answer = reply }
        for task in tasks { task.cancel() }
        await socket.close()
        guard let answer else { throw MeshResolverError.noAnswer }
        return answer
    }

    /// One registrar run: until every name is stored (`untilRegistered`, bounded by
    /// `timeout × attempts`; returns whether they were) or until the task is cancelled.
    private func runRegistrar(
        names: [String], port: Int, untilRegistered: Bool, onGameSocket: (@Sendable (GameSocketDatagram) -> Void)? = nil,
        details: (@Sendable () -> [UInt8])? = nil, local: UDPAddress? = nil
    ) async throws -> Bool {
        let server = self.server
        var entropy = SystemEntropy()
        var core = RendezvousRegistrar(names: names, port: UInt16(clamping: port), nonce: entropy.next())
        core.local = local
        let giveUp = Timestamp.monotonicNow + TimeSpan(nanoseconds: (timeout * Int64(attempts)).nanoseconds)
        var registered = false
        try await run(core) { core, bytes in
            var requests: [RendezvousRegistrar.MemberRequest] = []
            let replies = core.receive(bytes, at: .monotonicNow, requests: &requests)
            if let onGameSocket {
                for request in requests {
                    switch request {
                    case .punch(let newcomer): onGameSocket(.punch(toward: newcomer))
                    case .bindRelay(let port, let token):
                        onGameSocket(.relayBind(RendezvousMessage.relayBind(token: token), relay: server.withPort(port)))
                    }
                }
            }
            return replies
        } tick: { core, now in
            if let details, core.detailsDue(at: now) { core.details = details() }
            return (core.tick(at: now), untilRegistered && (core.isRegistered || now >= giveUp))
        } finally: { core in
            registered = core.isRegistered
        }
        return registered
    }

    /// Runs a client core over one socket on one event loop: `receive` handles each datagram
    /// from the server, `tick` runs every ``pollInterval`` and says when to stop (or the task
    /// is cancelled); what either returns is sent to the server. `finally` sees the last state.
    private func run<Core: Sendable>(
        _ core: sending Core,
        receive: @escaping @Sendable (inout Core, [UInt8]) -> [[UInt8]],
        tick: @escaping @Sendable (inout Core, Timestamp) -> (send: [[UInt8]], stop: Bool),
        finally: (Core) -> Void = { _ in }
    ) async throws {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let box = NIOLoopBoundBox.makeBoxSendingValue(core, eventLoop: loop)
        let server = self.server
        let (stopped, stop) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let socket = try await DatagramSocket.bind(host: bindHost, port: 0, group: loop) { bytes, from, socket in
            guard from == server else { return }
            for datagram in receive(&box.value, bytes) { socket.send(datagram, to: server) }
        }
        let timer = loop.scheduleRepeatedTask(initialDelay: .zero, delay: Self.pollInterval) { _ in
            let (datagrams, done) = tick(&box.value, .monotonicNow)
            for datagram in datagrams { socket.send(datagram, to: server) }
            if done { stop.finish() }
        }
        await withTaskCancellationHandler {
            for await _ in stopped {}
        } onCancel: {
            stop.finish()
        }
        let last = try await loop.submit {
            timer.cancel()
            return box.value
        }.get()
        finally(last)
        await socket.close()
    }

    /// A local address of the server's family.
    private var bindHost: String { server.family == .v6 ? "::" : "0.0.0.0" }
}
