import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import Testing

/// The lobby's rooms after a round of looking: decoded, sanitised, de-duplicated, capped and
/// sorted in one pure value (no sockets), whatever the network said.
@Suite struct RoomDirectoryTests {
    static let snake = GameIdentity(id: "snake", version: 1)

    /// A host's identity, one per name unless `host` says otherwise.
    static func identity(_ seed: String) -> NodeIdentity {
        var entropy = SeededEntropy(seed: seed.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) })
        return NodeIdentity(entropy: &entropy)
    }

    static func advert(_ name: String, members: Int = 1, cap: Int = 3, locked: Bool = false, running: Bool = false,
                       host: String? = nil) -> [UInt8] {
        let identity = identity(host ?? name)
        return RoomAdvert(roomName: name, game: snake, map: "Open Field", memberCount: members, playerCap: cap, locked: locked, isRunning: running,
                          host: identity.peerID).encoded(signedBy: identity)
    }

    @Test func rowsAreSortedByNameWithUnknownRoomsLast() {
        let directory = RoomDirectory(heard: [
            .init(address: "192.0.2.7:5000", details: [], source: "resolver 127.0.0.1:47000"),
            .init(address: "127.0.0.1:4100", details: Self.advert("vault", members: 2, locked: true), source: "LAN", pingMilliseconds: 3),
            .init(address: "127.0.0.1:4000", details: Self.advert("arena", members: 2), source: "LAN"),
            .init(address: "10.0.0.9:4200", details: Self.advert("busy", members: 3, running: true), source: "LAN"),
        ], sources: [])
        #expect(directory.rooms.map(\.name) == ["arena", "busy", "vault", nil])
        let vault = directory.rooms[2]
        #expect(vault.locked == true && vault.players == 2 && vault.capacity == 3 && vault.pingMilliseconds == 3 && vault.game == "snake")
        #expect(directory.rooms[1].running)
        let bare = directory.rooms[3]
        #expect(bare.address == "192.0.2.7:5000" && bare.map == nil && bare.locked == nil && bare.players == nil)
    }

    @Test func anAdvertBeatsABareAddressAndTheFirstAnswerPerAddressWins() {
        let directory = RoomDirectory(heard: [
            .init(address: "127.0.0.1:4000", details: [], source: "--peer"),
            .init(address: "127.0.0.1:4000", details: Self.advert("arena"), source: "LAN"),
            .init(address: "127.0.0.1:4000", details: Self.advert("other"), source: "LAN"),
        ], sources: [])
        #expect(directory.rooms.count == 1)
        #expect(directory.rooms[0].name == "arena")
        #expect(directory.rooms[0].source == "LAN")
    }

    @Test func hostileAdvertsAreCappedSanitisedAndDropped() {
        let evil = "\u{1B}[2J\u{1B}]0;pwned\u{07}x\u{202E}" + String(repeating: "W", count: 40)
        var heard = (0 ..< 100).map { index in
            RoomDirectory.Heard(address: "10.0.\(index / 250).\(index % 250):4000", details: Self.advert(evil + "\(index)"), source: "LAN")
        }
        heard.append(.init(address: "10.9.9.9:1", details: [1, 0, 200, 200], source: "LAN"))
        heard.append(.init(address: "10.9.9.9:2", details: [UInt8](repeating: 1, count: 5000), source: "LAN"))
        let directory = RoomDirectory(heard: heard, sources: [])
        #expect(directory.rooms.count == RoomDirectory.maxRooms)
        #expect(directory.rooms.allSatisfy { ($0.name ?? "").unicodeScalars.allSatisfy { !ChatText.isForbidden($0) } })
        #expect(directory.rooms.allSatisfy { ($0.name ?? "").count <= 32 })
        #expect(directory.rooms.allSatisfy { $0.name?.hasPrefix("xWWW") == true })
        #expect(!directory.rooms.contains { $0.address.hasPrefix("10.9.9.9") }, "undecodable details are dropped, not guessed at")
    }

    @Test func aListingSanitisesWhateverBuiltIt() {
        let row = RoomListing(name: "a\u{1B}[31mb", game: "g\u{07}", map: "m\u{202E}", players: 1, capacity: 2, pingMilliseconds: nil,
                              locked: false, running: false, address: "1.2.3.4:5\u{1B}]0;t\u{07}", source: "LAN\u{9B}")
        for text in [row.name ?? "", row.game ?? "", row.map ?? "", row.address, row.source] {
            #expect(text.unicodeScalars.allSatisfy { !ChatText.isForbidden($0) }, "\(text.debugDescription)")
        }
        #expect(row.name == "ab")
    }

    @Test func theNoteSaysWhereItLooked() {
        #expect(RoomDirectory().note == "Network: not looking (local play only).")
        let directory = RoomDirectory(heard: [], sources: [
            RoomSourceReport(label: "LAN", outcome: .rooms(3)),
            RoomSourceReport(label: "resolver 127.0.0.1:47000", outcome: .unreachable),
            RoomSourceReport(label: "--peer", outcome: .members(1)),
            RoomSourceReport(label: "LAN", outcome: .failed("cannot listen on UDP 47800")),
        ])
        #expect(directory.note == "LAN: 3 rooms · resolver 127.0.0.1:47000: unreachable · --peer: 1 address · LAN: cannot listen on UDP 47800")
        #expect(RoomSourceReport(label: "LAN", outcome: .looking).text == "LAN: looking…")
    }

    @Test func placesAreLabelledInRowOrder() throws {
        let places = RoomPlaces(lan: true, resolvers: [try HostPort(parsing: "10.0.0.5:47000")], peers: [try HostPort(parsing: "127.0.0.1:4000")])
        #expect(places.labels == ["LAN", "resolver 10.0.0.5:47000", "--peer"])
        #expect(RoomPlaces(lan: false, resolvers: [], peers: []).labels.isEmpty)
    }

    @Test func aProbeResultBecomesARowsAnswerWithItsPingRoundedUp() throws {
        let host = PeerID(high: 7, low: 7)
        let settings = RoomSettings(name: "duel", game: Self.snake, map: "Maze", playerCap: 2)
        let summary = RoomSummary(settings: settings, host: host, memberCount: 1, isRunning: false, engineVersion: 2)
        let address = try #require(UDPAddress(ipAddress: "127.0.0.1", port: 4000))
        let fromHost = ProbedAddress(RoomProbe<UDPAddress>.Result(address: address, peer: host, outcome: .room(summary), roundTrip: .microseconds(300)))
        #expect(fromHost.address == "127.0.0.1:4000")
        #expect(fromHost.pingMilliseconds == 1, "a 0.3 ms loopback ping shows as 1 ms, not 0")
        guard case .room(let advert, let advertHost, let answeredByHost) = fromHost.answer else {
            Issue.record("expected a room, got \(fromHost.answer)")
            return
        }
        #expect(advert.roomName == "duel" && advert.map == "Maze" && advert.memberCount == 1 && advertHost == host && answeredByHost)
        let member = ProbedAddress(RoomProbe<UDPAddress>.Result(address: address, peer: PeerID(high: 8, low: 8), outcome: .room(summary),
                                                                roundTrip: .milliseconds(12)))
        if case .room(_, _, let answeredByHost) = member.answer { #expect(!answeredByHost) }
        #expect(member.pingMilliseconds == 12)
        #expect(ProbedAddress(RoomProbe<UDPAddress>.Result(address: address, peer: nil, outcome: .noAnswer, roundTrip: nil)).answer == .failed)
        #expect(ProbedAddress(RoomProbe<UDPAddress>.Result(address: address, peer: nil, outcome: .unreachable, roundTrip: nil)).answer == .failed)
        #expect(ProbedAddress(RoomProbe<UDPAddress>.Result(address: address, peer: host, outcome: .noRoom, roundTrip: nil)).answer == .noRoom)
    }
}
