import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import NIOCore
import NIOPosix

/// The lobby's ``RoomProbe`` over real UDP: one short-lived socket with a fresh identity per
/// address family, on the lobby mesh, the probe running on the socket's event loop.
///
/// ``probe(_:timeout:credentials:group:)`` never waits longer than `timeout` plus a short
/// grace: the probe settles by its own deadline, and a timer on the loop ends the round regardless.
public enum UDPRoomProbe {
    /// How long after the probe's deadline the shell stops waiting for it, whatever happens.
    static let grace: TimeAmount = .milliseconds(300)

    /// Probes `addresses` (at most ``RoomProbe/maxAddresses``, duplicates dropped) and returns
    /// one result per address, in order. IPv4 and IPv6 addresses are asked from one socket per
    /// family; an address that could not be asked at all (no socket) is reported unreachable.
    public static func probe(
        _ addresses: [UDPAddress], timeout: TimeAmount = .seconds(2), credentials: MeshCredentials = LobbyMesh.credentials,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async -> [RoomProbe<UDPAddress>.Result] {
        var unique: [UDPAddress] = []
        for address in addresses where !unique.contains(address) && unique.count < RoomProbe<UDPAddress>.maxAddresses {
            unique.append(address)
        }
        let asked = unique
        async let v4 = round(asked.filter { $0.family == .v4 }, host: "0.0.0.0", timeout: timeout, credentials: credentials, group: group)
        async let v6 = round(asked.filter { $0.family == .v6 }, host: "::", timeout: timeout, credentials: credentials, group: group)
        let found = await v4 + v6
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
        let done = loop.makePromise(of: [RoomProbe<UDPAddress>.Result].self)
        var entropy = SystemEntropy()
        let probeTimeout = TimeSpan(nanoseconds: timeout.nanoseconds)
        let driver: UDPDriver<RoomProbe<UDPAddress>>
        do {
            driver = try await UDPDriver.bind(
                host: host, port: 0, identity: NodeIdentity(entropy: &entropy), credentials: credentials, group: loop,
                core: { RoomProbe(addresses: addresses, timeout: probeTimeout) },
                onEvents: { events in
                    for case .finished(let results) in events { done.succeed(results) }
                })
        } catch {
            done.succeed([])
            return []
        }
        // The backstop: the round ends even if the probe never finished by itself.
        let backstop = loop.scheduleTask(in: timeout + grace) {
            driver.withCore { probe, endpoint, _, output in probe.stop(endpoint: &endpoint, into: &output) }
        }
        let results = (try? await done.futureResult.get()) ?? []
        backstop.cancel()
        // Let the close frames go out before the socket closes.
        try? await Task.sleep(for: .milliseconds(20))
        await driver.close()
        return results
    }
}
