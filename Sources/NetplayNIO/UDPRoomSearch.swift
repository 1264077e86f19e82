import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import NIOCore
import Netplay

/// Looks for rooms in the background while a lobby is shown: listens for LAN
/// announcements, asks the rendezvous node (`--resolver`) and takes the `--peer`
/// addresses, then probes every address heard for its room and ping (``UDPRoomProbe``),
/// round after round, and keeps the newest ``RoomDirectory``.
///
/// The reader's thread only reads ``directory`` (a lock, never a wait); all network work
/// runs in a task on NIO's event loops. Every round is bounded: the LAN listen, the
/// resolver's answer and the probe all have deadlines.
public final class UDPRoomSearch: RoomSearch, @unchecked Sendable {
    private let lock = NSLock()
    private var latest: RoomDirectory
    private var rounds = 0
    private var task: Task<Void, Never>?

    /// Starts looking at once; `pause` is the rest between rounds, `lanPort` the port LAN
    /// announcements come to (tests use a loopback port of their own).
    public init(_ places: RoomPlaces, pause: Duration = .milliseconds(500), lanHost: String = "0.0.0.0",
                lanPort: Int = LANAnnouncement.wellKnownPort) {
        latest = RoomDirectory(sources: places.labels.map { RoomSourceReport(label: $0, outcome: .looking) })
        let lan = places.lan ? LANDiscovery(host: lanHost, port: lanPort) : nil
        task = Task { [weak self] in
            while !Task.isCancelled {
                let directory = await Self.round(places, lan: lan)
                // A round that ends after stop() is not shown: the lobby has moved on.
                guard let self, !Task.isCancelled else { return }
                self.store(directory)
                try? await Task.sleep(for: pause)
            }
        }
    }

    deinit { task?.cancel() }

    public var directory: RoomDirectory {
        lock.lock()
        defer { lock.unlock() }
        return latest
    }

    public var roundsCompleted: Int {
        lock.lock()
        defer { lock.unlock() }
        return rounds
    }

    public func stop() { task?.cancel() }

    private func store(_ directory: RoomDirectory) {
        lock.lock()
        defer { lock.unlock() }
        latest = directory
        rounds += 1
    }

    /// One round: the LAN and every resolver are asked at the same time, then every address
    /// heard is probed over the sealed mesh (``UDPRoomProbe``) for its room and ping.
    /// Bounded: each lookup has its deadline and the probe has `probeTimeout`.
    static func round(_ places: RoomPlaces, lan: LANDiscovery?, probeTimeout: TimeAmount = .seconds(2)) async -> RoomDirectory {
        async let lanFound = lanRound(lan)
        async let resolversFound = resolverRounds(places.resolvers, meshName: LobbyMesh.name)
        var heard: [RoomDirectory.Heard] = []
        var targets: [(shown: String, address: UDPAddress)] = []
        var reports: [RoomSourceReport] = []
        if let (found, report) = await lanFound {
            heard += found.map(\.heard)
            targets += found.map { ($0.heard.address, $0.address) }
            reports.append(report)
        }
        for (found, report) in await resolversFound {
            heard += found.map(\.heard)
            targets += found.map { ($0.heard.address, $0.address) }
            reports.append(report)
        }
        if !places.peers.isEmpty {
            for peer in places.peers {
                heard.append(RoomDirectory.Heard(address: peer.description, details: [], source: "--peer"))
                if let address = try? peer.resolveAddress() { targets.append((peer.description, address)) }
            }
            reports.append(RoomSourceReport(label: "--peer", outcome: .members(places.peers.count)))
        }
        let asked = Array(targets.prefix(RoomProbe<UDPAddress>.maxAddresses))
        let results = await UDPRoomProbe.probe(asked.map(\.address), timeout: probeTimeout)
        let probes = asked.compactMap { target in
            results.first { $0.address == target.address }.map { result in
                var probe = ProbedAddress(result)
                probe.address = target.shown
                return probe
            }
        }
        return RoomDirectory(heard: RoomDirectory.Heard.merging(heard, probes: probes), sources: reports)
    }

    /// One address a lookup heard, with the address to probe.
    private struct Found: Sendable {
        var heard: RoomDirectory.Heard
        var address: UDPAddress
    }

    private static func lanRound(_ lan: LANDiscovery?) async -> ([Found], RoomSourceReport)? {
        guard let lan else { return nil }
        do {
            let meshes = try await lan.browse()
            // Only announcements with a room advert are rooms; plain mesh announcements are not listed
            // (an advert that is not a signed version 2 is dropped when the directory decodes it).
            let heard = meshes.filter { !$0.announcement.details.isEmpty }.map {
                Found(heard: RoomDirectory.Heard(address: $0.address.description, details: $0.announcement.details, source: "LAN"),
                      address: $0.address)
            }
            let rooms = heard.filter { RoomAdvert(decoding: $0.heard.details) != nil }.count
            return (heard, RoomSourceReport(label: "LAN", outcome: .rooms(min(rooms, RoomDirectory.maxRooms))))
        } catch {
            return ([], RoomSourceReport(label: "LAN", outcome: .failed("cannot listen on UDP \(lan.port)")))
        }
    }

    /// Every resolver asked at once; the answers in the order the resolvers were given (one
    /// down is just a row that says so: the others' rooms are listed all the same).
    private static func resolverRounds(_ servers: [HostPort], meshName: String) async -> [([Found], RoomSourceReport)] {
        await withTaskGroup(of: (Int, [Found], RoomSourceReport).self) { group in
            for (index, server) in servers.enumerated() {
                group.addTask {
                    let (found, report) = await resolverRound(server, meshName: meshName)
                    return (index, found, report)
                }
            }
            var answers: [(Int, [Found], RoomSourceReport)] = []
            for await answer in group { answers.append(answer) }
            return answers.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
    }

    private static func resolverRound(_ server: HostPort, meshName: String) async -> ([Found], RoomSourceReport) {
        let label = "resolver \(server)"
        do {
            let addresses = try await RendezvousClient(server: try server.resolveAddress()).resolve(meshName: meshName)
            let heard = addresses.map { Found(heard: RoomDirectory.Heard(address: $0.description, details: [], source: label), address: $0) }
            return (heard, RoomSourceReport(label: label, outcome: .members(addresses.count)))
        } catch MeshResolverError.noAnswer {
            return ([], RoomSourceReport(label: label, outcome: .unreachable))
        } catch {
            return ([], RoomSourceReport(label: label, outcome: .failed("\(error)")))
        }
    }
}
