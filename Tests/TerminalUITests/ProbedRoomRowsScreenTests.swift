import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import Testing
@testable import TerminalUI

/// The lobby's rows once the room probe has answered (how the answers fold into rows is
/// tested in NetplayTests): pings in milliseconds, and Enter joins a probed row at once.
@Suite struct ProbedRoomRowsScreenTests {
    static func advert(_ name: String, members: Int = 1, cap: Int = 3, host: PeerID) -> RoomAdvert {
        RoomAdvert(roomName: name, game: NetworkLobbyTests.snake, map: "Open Field", memberCount: members, playerCap: cap,
                   locked: false, isRunning: false, host: host)
    }

    /// A LAN room, a resolver address hosting "duel", a node in no room, a dead --peer.
    static func directory() -> RoomDirectory {
        let heard: [RoomDirectory.Heard] = [
            .init(address: "127.0.0.1:4000", details: NetworkLobbyTests.advert("arena"), source: "LAN"),
            .init(address: "192.0.2.7:5000", details: [], source: "resolver 127.0.0.1:47000"),
            .init(address: "192.0.2.9:5002", details: [], source: "resolver 127.0.0.1:47000"),
            .init(address: "198.51.100.1:6000", details: [], source: "--peer"),
        ]
        let probes = [
            ProbedAddress(address: "127.0.0.1:4000", answer: .room(advert("arena", members: 2, host: PeerID(high: 9, low: 9)), host: PeerID(high: 9, low: 9), fromHost: true),
                          pingMilliseconds: 1),
            ProbedAddress(address: "192.0.2.7:5000", answer: .room(advert("duel", members: 2, cap: 2, host: PeerID(high: 1, low: 1)), host: PeerID(high: 1, low: 1),
                                                                  fromHost: true), pingMilliseconds: 23),
            ProbedAddress(address: "192.0.2.9:5002", answer: .noRoom, pingMilliseconds: 40),
            ProbedAddress(address: "198.51.100.1:6000", answer: .failed, pingMilliseconds: nil),
        ]
        return RoomDirectory(heard: RoomDirectory.Heard.merging(heard, probes: probes),
                             sources: [RoomSourceReport(label: "resolver 127.0.0.1:47000", outcome: .members(2))])
    }

    @Test func aMeasuredPingShowsInMilliseconds() {
        var model = Fixtures.model()
        model.showNetwork(Self.directory())
        let screen = Fixtures.draw(model)
        #expect(screen.row(3).contains("arena         #\(RoomID(host: PeerID(high: 9, low: 9))) snake   Open Field  2/3     1 ms"))
        #expect(screen.row(4).contains("duel          #\(RoomID(host: PeerID(high: 1, low: 1))) snake   Open Field  2/2     23 ms"))
        #expect(screen.row(5).contains("?                       ?       ?           ?/?     ?         ?"))
        #expect(screen.contains("resolver 127.0.0.1:47000: 2 addresses"))
    }

    @Test func enterOnAProbedResolverRowJoinsWithoutAskingTheName() {
        var model = Fixtures.model()
        model.showNetwork(Self.directory())
        _ = model.handle(.down)
        // Found at the resolver: joined through it (introduced, punched or relayed), not by dialling the address alone.
        #expect(model.handle(.enter) == [.joinRoom(NetworkJoinChoice(
            room: "duel#\(RoomID(host: PeerID(high: 1, low: 1)))", address: "192.0.2.7:5000", password: nil,
            mesh: .search(resolvers: ["127.0.0.1:47000"], lan: false)))])
        #expect(model.screen == .room)
    }

    @Test func enterOnAnAddressWhoseProbeFailedStillAsksTheName() {
        var model = Fixtures.model()
        model.showNetwork(Self.directory())
        _ = model.handle(.down)
        _ = model.handle(.down)
        #expect(model.handle(.enter).isEmpty)
        #expect(Fixtures.draw(model).contains("Room at 198.51.100.1:6000"))
    }
}
