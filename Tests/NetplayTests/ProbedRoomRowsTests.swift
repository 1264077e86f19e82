import Lobby
import MeshTransport
import MeshplayCore
import Testing
import Netplay

/// The room probe's answers folded into the lobby's rows (pure values, no sockets).
@Suite struct ProbedRoomRowsTests {
    static let host = PeerID(high: 1, low: 1)
    static let member = PeerID(high: 2, low: 2)

    static func advert(_ name: String, members: Int = 1, cap: Int = 3, host: PeerID = host) -> RoomAdvert {
        RoomAdvert(roomName: name, game: GameIdentity(id: "snake", version: 1), map: "Open Field", memberCount: members, playerCap: cap,
                   locked: false, isRunning: false, host: host)
    }

    static func signed(_ name: String) -> [UInt8] {
        let identity = RoomDirectoryTests.identity(name)
        var advert = advert(name)
        advert.host = identity.peerID
        return advert.encoded(signedBy: identity)
    }

    /// A LAN room, a resolver address hosting "duel", a member of "duel", a node in no room, a dead --peer.
    static func directory() -> RoomDirectory {
        let heard: [RoomDirectory.Heard] = [
            .init(address: "127.0.0.1:4000", details: signed("arena"), source: "LAN"),
            .init(address: "192.0.2.8:5001", details: [], source: "resolver 127.0.0.1:47000"),
            .init(address: "192.0.2.7:5000", details: [], source: "resolver 127.0.0.1:47000"),
            .init(address: "192.0.2.9:5002", details: [], source: "resolver 127.0.0.1:47000"),
            .init(address: "198.51.100.1:6000", details: [], source: "--peer"),
        ]
        let probes = [
            ProbedAddress(address: "127.0.0.1:4000", answer: .room(advert("arena", members: 2, host: PeerID(high: 9, low: 9)), host: PeerID(high: 9, low: 9), fromHost: true),
                          pingMilliseconds: 1),
            ProbedAddress(address: "192.0.2.8:5001", answer: .room(advert("duel", members: 2, cap: 2), host: host, fromHost: false),
                          pingMilliseconds: 30),
            ProbedAddress(address: "192.0.2.7:5000", answer: .room(advert("duel", members: 2, cap: 2), host: host, fromHost: true),
                          pingMilliseconds: 23),
            ProbedAddress(address: "192.0.2.9:5002", answer: .noRoom, pingMilliseconds: 40),
            ProbedAddress(address: "198.51.100.1:6000", answer: .failed, pingMilliseconds: nil),
        ]
        return RoomDirectory(heard: RoomDirectory.Heard.merging(heard, probes: probes),
                             sources: [RoomSourceReport(label: "resolver 127.0.0.1:47000", outcome: .members(3))])
    }

    @Test func probedRowsGetDetailsAndPingOneRowPerRoom() {
        let rooms = Self.directory().rooms
        #expect(rooms.map(\.name) == ["arena", "duel", nil])
        // The LAN row takes the probe's fresher count and its ping.
        #expect(rooms[0].players == 2)
        #expect(rooms[0].pingMilliseconds == 1)
        // "duel" is listed once, through its host's own address.
        #expect(rooms[1].address == "192.0.2.7:5000")
        #expect(rooms[1].pingMilliseconds == 23)
        #expect(rooms[1].players == 2 && rooms[1].capacity == 2 && rooms[1].map == "Open Field" && rooms[1].locked == false)
        // The node in no room is not a room; the dead --peer keeps its bare row.
        #expect(rooms[2].address == "198.51.100.1:6000")
        #expect(rooms[2].pingMilliseconds == nil)
    }

    @Test func aFailedProbeKeepsTheLANAdvertWithoutPing() {
        let heard = [RoomDirectory.Heard(address: "127.0.0.1:4000", details: Self.signed("arena"), source: "LAN", pingMilliseconds: 5)]
        let merged = RoomDirectory.Heard.merging(heard, probes: [ProbedAddress(address: "127.0.0.1:4000", answer: .failed, pingMilliseconds: nil)])
        let room = RoomDirectory(heard: merged, sources: []).rooms[0]
        #expect(room.name == "arena")
        #expect(room.pingMilliseconds == nil)
    }
}
