import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// The lobby's ``RoomProbe`` over real UDP: one socket with a fresh identity per address
/// family, on the lobby mesh, the probe running on the socket's event loop.
///
/// The sockets are bound before any address is known (``open(timeout:credentials:group:)``) and
/// can serve round after round, so the lookups that find the addresses can give a rendezvous
/// node their ports: the node asks the hosts it knows to punch toward them, and a host behind a
/// NAT answers the probe (its row then says "punched"); the holes stay open from round to round.
/// ``Sockets/probe(_:)`` never waits longer than the timeout plus a short grace: the probe
/// settles by its own deadline, and a timer on the loop ends the round regardless.
public enum UDPRoomProbe {
    /// How long after the probe's deadline the shell stops waiting for it, whatever happens.
    static let grace: TimeAmount = .milliseconds(300)

    /// Binds the sockets (one per address family; a family that cannot bind is left out).
    public static func open(
        timeout: TimeAmount = .seconds(2), credentials: MeshCredentials = LobbyMesh.credentials,
        group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async -> Sockets {
        async let v4 = Socket.bind(host: "0.0.0.0", timeout: timeout, credentials: credentials, group: group)
        async let v6 = Socket.bind(host: "::", timeout: timeout, credentials: credentials, group: group)
        return Sockets(v4: await v4, v6: await v6)
    }

    /// The probe's sockets, bound, between rounds.
    public struct Sockets: Sendable {
        fileprivate let v4: Socket?
        fileprivate let v6: Socket?

        /// The local port of the socket that asks addresses of `family`, nil without one: what
        /// an introduction at a rendezvous node of that family gives.
        public func port(for family: UDPAddress.Family) -> UInt16? {
            (family == .v4 ? v4 : v6)?.driver.localAddress.port
        }

        /// One round: asks `addresses` (at most ``RoomProbe/maxAddresses``, duplicates dropped);
        /// one result per address, in order. Rounds run one at a time.
        public func probe(_ addresses: [UDPAddress]) async -> [RoomProbe<UDPAddress>.Result] {
            var unique: [UDPAddress] = []
            for address in addresses where !unique.contains(address) && unique.count < RoomProbe<UDPAddress>.maxAddresses {
                unique.append(address)
            }
            let asked = unique
            async let v4Results = v4?.probe(asked.filter { $0.family == .v4 }) ?? []
            async let v6Results = v6?.probe(asked.filter { $0.family == .v6 }) ?? []
            let found = await v4Results + v6Results
            return asked.map { address in
                found.first { $0.address == address }
                    ?? RoomProbe<UDPAddress>.Result(address: address, peer: nil, outcome: .unreachable, roundTrip: nil)
            }
        }

        /// Closes the sockets (after a moment, so the last round's close frames go out first).
        public func close() async {
            try? await Task.sleep(for: .milliseconds(20))
            await v4?.driver.close()
            await v6?.driver.close()
        }
    }

    /// One bound socket with its probe, and the round being waited for.
    fileprivate struct Socket: Sendable {
        let driver: UDPDriver<RoomProbe<UDPAddress>>
        let timeout: TimeAmount
        /// The promise of the round under way, completed by the probe's `finished` event.
        let round: NIOLockedValueBox<EventLoopPromise<[RoomProbe<UDPAddress>.Result]>?>

        static func bind(host: String, timeout: TimeAmount, credentials: MeshCredentials, group: EventLoopGroup) async -> Socket? {
            let round = NIOLockedValueBox<EventLoopPromise<[RoomProbe<UDPAddress>.Result]>?>(nil)
            var entropy = SystemEntropy()
            let probeTimeout = TimeSpan(nanoseconds: timeout.nanoseconds)
            guard let driver = try? await UDPDriver.bind(
                host: host, port: 0, identity: NodeIdentity(entropy: &entropy), credentials: credentials, group: group.next(),
                core: { RoomProbe(timeout: probeTimeout) },
                onEvents: { events in
                    for case .finished(let results) in events {
                        round.withLockedValue { promise in
                            promise?.succeed(results)
                            promise = nil
                        }
                    }
                })
            else { return nil }
            return Socket(driver: driver, timeout: timeout, round: round)
        }

        /// One round over `addresses` (none: nothing is asked).
        func probe(_ addresses: [UDPAddress]) async -> [RoomProbe<UDPAddress>.Result] {
            guard !addresses.isEmpty else { return [] }
            let done = driver.eventLoop.makePromise(of: [RoomProbe<UDPAddress>.Result].self)
            round.withLockedValue { $0 = done }
            driver.withCore { probe, _, _, _ in probe.begin(addresses: addresses) }
            // The backstop: the round ends even if the probe never finished by itself.
            let driver = self.driver
            let backstop = driver.eventLoop.scheduleTask(in: timeout + grace) {
                driver.withCore { probe, endpoint, _, output in probe.stop(endpoint: &endpoint, into: &output) }
            }
            let results = (try? await done.futureResult.get()) ?? []
            backstop.cancel()
            return results
        }
    }
}
