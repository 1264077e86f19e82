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
            // One probe socket per family for the whole search: the NAT holes hosts punch toward it stay open.
            let probe = await UDPRoomProbe.open()
            var introductions = IntroductionSchedule()
            while !Task.isCancelled {
                let directory = await Self.round(places, lan: lan, probe: probe, introducing: introductions.isDue(at: .now))
                // A round that ends after stop() is not shown: the lobby has moved on.
                guard let self, !Task.isCancelled else { break }
                self.store(directory)
                try? await Task.sleep(for: pause)
            }
            await probe.close()
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

    /// The lobby's list as it stands after its first two introductions (`meshplay rooms`): every
    /// place asked, each resolver with an introduction of the probe's socket, every address heard
    /// probed. With a resolver, a second round follows a second later: the first punches may die
    /// at this side's own NAT (nothing had gone out to the hosts yet), which opens during round
    /// one, so the second punches arrive and a punched link says so. `lanPort` is where LAN
    /// announcements come.
    public static func once(_ places: RoomPlaces, lanHost: String = "0.0.0.0", lanPort: Int = LANAnnouncement.wellKnownPort) async -> RoomDirectory {
        let probe = await UDPRoomProbe.open()
        let lan = places.lan ? LANDiscovery(host: lanHost, port: lanPort) : nil
        let started = ContinuousClock.now
        var directory = await round(places, lan: lan, probe: probe, introducing: true)
        if !places.resolvers.isEmpty {
            try? await Task.sleep(until: started + IntroductionSchedule.secondAfter)
            directory = await round(places, lan: lan, probe: probe, introducing: true)
        }
        await probe.close()
        return directory
    }

    /// One round: the LAN and every resolver are asked at the same time, then every address
    /// heard is probed over the sealed mesh (``UDPRoomProbe``) for its room and ping.
    /// With `introducing`, each resolver is asked with an introduction of the probe's socket,
    /// so the hosts it knows behind NATs punch toward it and can be listed.
    /// Bounded: each lookup has its deadline and the probe its own.
    static func round(_ places: RoomPlaces, lan: LANDiscovery?, probe: UDPRoomProbe.Sockets, introducing: Bool) async -> RoomDirectory {
        async let lanFound = lanRound(lan)
        async let resolversFound = resolverRounds(places.resolvers, meshName: LobbyMesh.name, probe: introducing ? probe : nil)
        var heard: [RoomDirectory.Heard] = []
        var targets: [(shown: String, address: UDPAddress)] = []
        var reports: [RoomSourceReport] = []
        // Where each address a resolver answered with can be described: (resolver, member).
        var describers: [String: (resolver: UDPAddress, member: UDPAddress)] = [:]
        if let (found, report) = await lanFound {
            heard += found.map(\.heard)
            targets += found.map { ($0.heard.address, $0.address) }
            reports.append(report)
        }
        for (found, report) in await resolversFound {
            for entry in found where describers[entry.heard.address] == nil {
                if let resolver = entry.resolver { describers[entry.heard.address] = (resolver, entry.address) }
            }
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
        let results = await probe.probe(asked.map(\.address))
        let probes = asked.compactMap { target in
            results.first { $0.address == target.address }.map { result in
                var probe = ProbedAddress(result)
                probe.address = target.shown
                return probe
            }
        }
        // A host no path reached (a symmetric NAT between): its resolver says what room it is.
        let unreached = Set(probes.filter { $0.answer == .failed }.map(\.address))
        heard = await described(heard.map { ($0, unreached.contains($0.address) ? describers[$0.address] : nil) })
        return RoomDirectory(heard: RoomDirectory.Heard.merging(heard, probes: probes), sources: reports)
    }

    /// The most members a round asks a resolver to describe (one small request each).
    static let maxDescribed = 16

    /// Each answer paired with a resolver gets the details its member attached there (a room's
    /// signed advert, checked when the directory decodes it); the rest stay as they are.
    private static func described(_ heard: [(RoomDirectory.Heard, (resolver: UDPAddress, member: UDPAddress)?)]) async -> [RoomDirectory.Heard] {
        await withTaskGroup(of: (Int, [UInt8]).self) { group in
            var asked = 0
            for (index, (answer, describer)) in heard.enumerated() {
                guard let (resolver, member) = describer, answer.details.isEmpty, asked < maxDescribed else { continue }
                asked += 1
                group.addTask {
                    (index, (try? await RendezvousClient(server: resolver, attempts: 2).describe(meshName: LobbyMesh.name, member: member)) ?? [])
                }
            }
            var result = heard.map(\.0)
            for await (index, details) in group where !details.isEmpty { result[index].details = details }
            return result
        }
    }

    /// One address a lookup heard, with the address to probe.
    private struct Found: Sendable {
        var heard: RoomDirectory.Heard
        var address: UDPAddress
        /// The resolver that answered with it, if one did.
        var resolver: UDPAddress?
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
    private static func resolverRounds(_ servers: [HostPort], meshName: String, probe: UDPRoomProbe.Sockets?) async -> [([Found], RoomSourceReport)] {
        await withTaskGroup(of: (Int, [Found], RoomSourceReport).self) { group in
            for (index, server) in servers.enumerated() {
                group.addTask {
                    let (found, report) = await resolverRound(server, meshName: meshName, probe: probe)
                    return (index, found, report)
                }
            }
            var answers: [(Int, [Found], RoomSourceReport)] = []
            for await answer in group { answers.append(answer) }
            return answers.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        }
    }

    private static func resolverRound(_ server: HostPort, meshName: String, probe: UDPRoomProbe.Sockets?) async -> ([Found], RoomSourceReport) {
        let label = RoomListing.resolverSourcePrefix + "\(server)"
        do {
            let address = try server.resolveAddress()
            let addresses = try await RendezvousClient(server: address).resolve(meshName: meshName, introducingPort: probe?.port(for: address.family))
            let heard = addresses.map { Found(heard: RoomDirectory.Heard(address: $0.description, details: [], source: label), address: $0, resolver: address) }
            return (heard, RoomSourceReport(label: label, outcome: .members(addresses.count)))
        } catch MeshResolverError.noAnswer {
            return ([], RoomSourceReport(label: label, outcome: .unreachable))
        } catch {
            return ([], RoomSourceReport(label: label, outcome: .failed("\(error)")))
        }
    }
}

/// When the lobby introduces its probe socket to the resolvers (a hole a host punched stays open
/// while the rounds use it; a new host is punched open within the interval): at once, again a
/// second later (the first punches may have died at this side's own NAT, which the first round
/// opened), then every 5 s: one punch per host and lobby every 5 s, far inside a host's budget of
/// 32 per 10 s, and past the resolver's pace of one per member and newcomer a second.
struct IntroductionSchedule {
    /// The second introduction, after the first.
    static let secondAfter = Duration.seconds(1.1)
    /// Every later one, after the one before.
    static let interval = Duration.seconds(5)

    private var made = 0
    private var last: ContinuousClock.Instant?

    /// Whether a round starting `now` introduces (and, if so, notes it).
    mutating func isDue(at now: ContinuousClock.Instant) -> Bool {
        if let last, now - last < (made == 1 ? Self.secondAfter : Self.interval) { return false }
        made += 1
        last = now
        return true
    }
}
