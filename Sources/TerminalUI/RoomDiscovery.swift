import Bots
import Foundation
import Lobby
import MeshTransport
import NIOCore

/// Looks for network rooms in the background while the lobby is shown: listens for LAN
/// announcements, asks the rendezvous node (`--resolver`) and takes the `--peer`
/// addresses, then probes every address heard for its room and ping (``UDPRoomProbe``),
/// round after round, and keeps the newest ``RoomDirectory``.
///
/// The UI thread only reads ``directory`` (a lock, never a wait); all network work runs
/// in a task on NIO's event loops. Every round is bounded: the LAN listen, the
/// resolver's answer and the probe all have deadlines.
public final class RoomDiscovery: @unchecked Sendable {
    /// Where to look.
    public struct Places: Sendable {
        /// The LAN listener; nil to not listen.
        public var lan: LANDiscovery?
        /// The rendezvous node, `--resolver`.
        public var resolver: HostPort?
        /// Fixed members, `--peer` (repeatable).
        public var peers: [HostPort]
        /// The mesh the rooms live on.
        public var meshName: String

        public init(lan: LANDiscovery?, resolver: HostPort?, peers: [HostPort], meshName: String) {
            self.lan = lan
            self.resolver = resolver
            self.peers = peers
            self.meshName = meshName
        }
    }

    private let lock = NSLock()
    private var latest: RoomDirectory
    private var rounds = 0
    private var task: Task<Void, Never>?

    /// Starts looking at once; `pause` is the rest between rounds.
    public init(_ places: Places, pause: Duration = .milliseconds(500)) {
        latest = RoomDirectory(sources: Self.labels(places).map { RoomSourceReport(label: $0, outcome: .looking) })
        task = Task { [weak self] in
            while !Task.isCancelled {
                let directory = await Self.round(places)
                // A round that ends after stop() is not shown: the lobby has moved on.
                guard let self, !Task.isCancelled else { return }
                self.store(directory)
                try? await Task.sleep(for: pause)
            }
        }
    }

    deinit { task?.cancel() }

    /// The newest rooms and the note about where they came from.
    public var directory: RoomDirectory {
        lock.lock()
        defer { lock.unlock() }
        return latest
    }

    /// Rounds completed so far (the UI redraws when it changes).
    public var roundsCompleted: Int {
        lock.lock()
        defer { lock.unlock() }
        return rounds
    }

    /// Stops looking (the current round's sockets close when their deadlines pass).
    public func stop() { task?.cancel() }

    private func store(_ directory: RoomDirectory) {
        lock.lock()
        defer { lock.unlock() }
        latest = directory
        rounds += 1
    }

    static func labels(_ places: Places) -> [String] {
        (places.lan == nil ? [] : ["LAN"]) + (places.resolver.map { ["resolver \($0)"] } ?? [])
            + (places.peers.isEmpty ? [] : ["--peer"])
    }

    /// One round: the LAN and the resolver are asked at the same time, then every address
    /// heard is probed over the sealed mesh (``UDPRoomProbe``) for its room and ping.
    /// Bounded: each lookup has its deadline and the probe has `probeTimeout`.
    static func round(_ places: Places, probeTimeout: TimeAmount = .seconds(2)) async -> RoomDirectory {
        async let lan = lanRound(places.lan)
        async let resolver = resolverRound(places.resolver, meshName: places.meshName)
        var heard: [RoomDirectory.Heard] = []
        var targets: [(shown: String, address: SocketAddress)] = []
        var reports: [RoomSourceReport] = []
        if let (found, report) = await lan {
            heard += found.map(\.heard)
            targets += found.map { ($0.heard.address, $0.address) }
            reports.append(report)
        }
        if let (found, report) = await resolver {
            heard += found.map(\.heard)
            targets += found.map { ($0.heard.address, $0.address) }
            reports.append(report)
        }
        if !places.peers.isEmpty {
            for peer in places.peers {
                heard.append(RoomDirectory.Heard(address: peer.description, details: [], source: "--peer"))
                if let address = try? peer.socketAddress() { targets.append((peer.description, address)) }
            }
            reports.append(RoomSourceReport(label: "--peer", outcome: .members(places.peers.count)))
        }
        let asked = Array(targets.prefix(RoomProbe<UDPAddress>.maxAddresses))
        let results = await UDPRoomProbe.probe(asked.map(\.address), timeout: probeTimeout)
        let probes = asked.compactMap { target in
            results.first { $0.address == UDPAddress(target.address) }.map { result in
                var probe = ProbedAddress(result)
                probe.address = target.shown
                return probe
            }
        }
        return RoomDirectory(heard: RoomDirectory.Heard.merging(heard, probes: probes), sources: reports)
    }

    /// One address a lookup heard, with the socket address to probe.
    private struct Found {
        var heard: RoomDirectory.Heard
        var address: SocketAddress
    }

    private static func lanRound(_ lan: LANDiscovery?) async -> ([Found], RoomSourceReport)? {
        guard let lan else { return nil }
        do {
            let meshes = try await lan.browse()
            // Only announcements with a room advert are rooms; plain mesh announcements are not listed.
            let heard = meshes.filter { !$0.announcement.details.isEmpty }.map {
                Found(heard: RoomDirectory.Heard(address: HostPort.display($0.address), details: $0.announcement.details, source: "LAN"),
                      address: $0.address)
            }
            let rooms = heard.filter { RoomAdvert(decoding: $0.heard.details) != nil }.count
            return (heard, RoomSourceReport(label: "LAN", outcome: .rooms(min(rooms, RoomDirectory.maxRooms))))
        } catch {
            return ([], RoomSourceReport(label: "LAN", outcome: .failed("cannot listen on UDP \(lan.port)")))
        }
    }

    private static func resolverRound(_ server: HostPort?, meshName: String) async -> ([Found], RoomSourceReport)? {
        guard let server else { return nil }
        let label = "resolver \(server)"
        do {
            let addresses = try await RendezvousClient(server: try server.socketAddress()).resolve(meshName: meshName)
            let heard = addresses.map { Found(heard: RoomDirectory.Heard(address: HostPort.display($0), details: [], source: label), address: $0) }
            return (heard, RoomSourceReport(label: label, outcome: .members(addresses.count)))
        } catch MeshResolverError.noAnswer {
            return ([], RoomSourceReport(label: label, outcome: .unreachable))
        } catch {
            return ([], RoomSourceReport(label: label, outcome: .failed("\(error)")))
        }
    }
}
