import Lobby
import MeshTransport
import MeshplayCore
import NIOCore
import NIOPosix

/// A ``RoomProbe`` over real UDP: one short-lived ``MeshUDPNode`` (its own socket and a
/// fresh identity) on the lobby mesh, the probe riding on the node's event loop as a
/// ``BotPeer`` does in ``UDPBotShell``.
///
/// ``probe(_:timeout:group:)`` never waits longer than `timeout` plus a short grace: the
/// probe settles by its own deadline, and a timer on the loop ends the round regardless.
public enum UDPRoomProbe {
    /// How long after the probe's deadline the shell stops waiting for it, whatever happens.
    static let grace: TimeAmount = .milliseconds(300)

    /// Probes `addresses` (at most ``RoomProbe/maxAddresses``) and returns one result per
    /// address, in order. IPv4 and IPv6 addresses are asked from one socket per family.
    /// An address that could not be asked at all (no socket) is reported unreachable.
    public static func probe(
        _ addresses: [SocketAddress], timeout: TimeAmount = .seconds(2),
        credentials: MeshCredentials = MeshCredentials(meshName: UDPBotShell.lobbyMeshName),
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async -> [RoomProbe<UDPAddress>.Result] {
        let asked = Array(addresses.map(UDPAddress.init).reduce(into: [UDPAddress]()) { list, address in
            if !list.contains(address) { list.append(address) }
        }.prefix(RoomProbe<UDPAddress>.maxAddresses))
        let v4 = asked.filter { $0.socketAddress.protocol == .inet }
        let v6 = asked.filter { $0.socketAddress.protocol != .inet }
        async let first = round(v4, host: "0.0.0.0", timeout: timeout, credentials: credentials, group: group)
        async let second = round(v6, host: "::", timeout: timeout, credentials: credentials, group: group)
        let found = await first + second
        return asked.map { address in
            found.first { $0.address == address }
                ?? RoomProbe<UDPAddress>.Result(address: address, peer: nil, outcome: .unreachable, roundTrip: nil)
        }
    }

    private static func round(
        _ addresses: [UDPAddress], host: String, timeout: TimeAmount, credentials: MeshCredentials, group: EventLoopGroup
    ) async -> [RoomProbe<UDPAddress>.Result] {
        guard !addresses.isEmpty else { return [] }
        let loop = group.next()
        let probe = RoomProbe(addresses: addresses, timeout: TimeSpan(nanoseconds: timeout.nanoseconds))
        let core = NIOLoopBoundBox.makeEmptyBox(valueType: RoomProbe<UDPAddress>.self, eventLoop: loop)
        let node = NIOLoopBoundBox.makeEmptyBox(valueType: MeshUDPNode.self, eventLoop: loop)
        let reported = NIOLoopBoundBox.makeEmptyBox(valueType: Bool.self, eventLoop: loop)
        // Boxes are filled on their loop; nothing reaches the probe before its first tick below.
        guard (try? await loop.submit { core.value = probe }.get()) != nil else { return [] }
        var entropy = SystemEntropy()
        let udp: MeshUDPNode
        do {
            udp = try await MeshUDPNode.bind(host: host, port: 0, identity: NodeIdentity(entropy: &entropy),
                                             credentials: credentials, group: loop) { event, endpoint in
                guard let requests = core.value?.handle(event, endpoint: &endpoint, at: .monotonicNow) else { return }
                carryOut(requests, node: node.value)
            }
        } catch {
            return []
        }
        let done = loop.makePromise(of: [RoomProbe<UDPAddress>.Result].self)
        let report: @Sendable () -> Void = {
            guard reported.value == nil else { return }
            reported.value = true
            done.succeed(core.value?.results ?? [])
        }
        let timers = try? await loop.submit {
            node.value = udp
            let ticker = loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(5)) { task in
                udp.withEndpoint { endpoint in
                    guard let requests = core.value?.tick(endpoint: &endpoint, at: .monotonicNow) else { return }
                    carryOut(requests, node: udp)
                    if core.value?.isFinished == true {
                        task.cancel()
                        report()
                    }
                }
            }
            // The backstop: the round ends even if the ticker never saw the probe finish.
            let backstop = loop.scheduleTask(in: timeout + grace) {
                udp.withEndpoint { endpoint in
                    if let requests = core.value?.stop(endpoint: &endpoint) { carryOut(requests, node: udp) }
                    ticker.cancel()
                    report()
                }
            }
            return (ticker, backstop)
        }.get()
        if timers == nil { try? await loop.submit(report).get() }
        let results = (try? await done.futureResult.get()) ?? []
        timers?.0.cancel()
        timers?.1.cancel()
        // Let the close frames go out before the socket closes.
        try? await Task.sleep(for: .milliseconds(20))
        try? await udp.close()
        return results
    }

    private static func carryOut(_ requests: RoomProbe<UDPAddress>.Requests, node: MeshUDPNode?) {
        for address in requests.connects { node?.connect(to: address.socketAddress) }
        for peer in requests.disconnects { node?.disconnect(peer) }
    }
}
