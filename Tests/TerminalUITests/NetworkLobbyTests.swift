import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import Testing
@testable import TerminalUI

/// The lobby with rooms found on the network, drawn into a cell buffer (no sockets).
@Suite struct NetworkLobbyTests {
    static let snake = GameIdentity(id: "snake", version: 1)

    /// A host's identity, one per name.
    static func identity(_ seed: String) -> NodeIdentity {
        var entropy = SeededEntropy(seed: seed.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) })
        return NodeIdentity(entropy: &entropy)
    }

    /// The id the lobby shows for the room `advert(name)` announces.
    static func id(_ name: String) -> String { RoomID(host: identity(name).peerID).text }

    static func advert(_ name: String, members: Int = 1, cap: Int = 3, locked: Bool = false, running: Bool = false) -> [UInt8] {
        let identity = identity(name)
        return RoomAdvert(roomName: name, game: snake, map: "Open Field", memberCount: members, playerCap: cap,
                          locked: locked, isRunning: running, host: identity.peerID).encoded(signedBy: identity)
    }

    /// Two LAN rooms (one locked, one in game), a bare resolver address, a dead resolver.
    static func directory() -> RoomDirectory {
        RoomDirectory(heard: [
            .init(address: "127.0.0.1:4100", details: advert("vault", members: 2, locked: true), source: "LAN", pingMilliseconds: 3),
            .init(address: "127.0.0.1:4000", details: advert("arena", members: 2), source: "LAN"),
            .init(address: "10.0.0.9:4200", details: advert("busy", members: 3, running: true), source: "LAN"),
            .init(address: "192.0.2.7:5000", details: [], source: "resolver 127.0.0.1:47000"),
        ], sources: [
            RoomSourceReport(label: "LAN", outcome: .rooms(3)),
            RoomSourceReport(label: "resolver 127.0.0.1:47000", outcome: .unreachable),
        ])
    }

    static func lobby(password: String? = nil) -> AppModel {
        var model = Fixtures.model()
        model.lobby.presetPassword = password
        model.showNetwork(directory())
        return model
    }

    @Test func networkRowsShowEveryColumnAt80x24() {
        let screen = Fixtures.draw(Self.lobby())
        #expect(screen.contains("Room                    Game    Map         Players Ping      Lock"))
        // Sorted by name; unknown rooms last. Ping is "?" until measured; the lock column says "yes".
        // Each room's id after its name, in a column of its own.
        #expect(screen.row(3).contains("arena         #\(Self.id("arena")) snake   Open Field  2/3     ?"))
        #expect(screen.row(4).contains("busy          #\(Self.id("busy")) snake   Open Field  3/3     ?               in game"))
        #expect(screen.row(5).contains("vault         #\(Self.id("vault")) snake   Open Field  2/3     3 ms      yes"))
        #expect(screen.row(6).contains("?                       ?       ?           ?/?     ?         ?"))
        #expect(!screen.contains("P punched"), "no punched row, no letter to explain")
        #expect(screen.contains("LAN: 3 rooms · resolver 127.0.0.1:47000: unreachable"))
        #expect(screen.contains("arena #\(Self.id("arena")) at 127.0.0.1:4000 (LAN)"))
        #expect(!screen.contains("not available"))
        #expect(screen.contains("c create"))
        #expect(screen.row(23).contains("q quit"))
    }

    @Test func noteSaysWhereItLooksBeforeTheFirstRound() {
        var model = Fixtures.model()
        model.showNetwork(RoomDirectory(sources: [RoomSourceReport(label: "LAN", outcome: .looking)]))
        let screen = Fixtures.draw(model)
        #expect(screen.contains("LAN: looking"))
        #expect(screen.contains("No rooms yet. Press c to create one."))
    }

    @Test func enterOnAnOpenRoomJoinsItThroughTheNetworkPath() {
        var model = Self.lobby()
        let effects = model.handle(.enter)
        #expect(effects == [.joinRoom(NetworkJoinChoice(room: "arena#\(Self.id("arena"))", address: "127.0.0.1:4000", password: nil))])
        #expect(model.screen == .room)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("Joining room arena#\(Self.id("arena"))"))
        #expect(screen.contains("room: arena#\(Self.id("arena")) at 127.0.0.1:4000 (network)"))
        #expect(model.room?.place == "127.0.0.1:4000")
        #expect(model.room?.isLocal == false)
        // r says ready to the player's node (the shell joined on opening), and again takes it back.
        #expect(model.handle(.char("r")) == [.setReady(true)])
        #expect(model.handle(.char("r")) == [.setReady(false)])
    }

    @Test func lockedRoomAsksForThePasswordAndHidesIt() {
        var model = Self.lobby()
        _ = model.handle(.down)
        _ = model.handle(.down)
        #expect(model.handle(.enter).isEmpty)
        var screen = Fixtures.draw(model)
        #expect(screen.contains("Password for vault"))
        _ = Key.typing("s3cret").map { model.handle($0) }
        screen = Fixtures.draw(model)
        #expect(screen.contains("Password: ******"))
        #expect(!screen.contains("s3cret"))
        // q and ? are text while typing.
        #expect(model.handle(.char("q")).isEmpty)
        _ = model.handle(.backspace)
        let effects = model.handle(.enter)
        #expect(effects == [.joinRoom(NetworkJoinChoice(room: "vault#\(Self.id("vault"))", address: "127.0.0.1:4100", password: "s3cret"))])
        #expect(model.screen == .room)
    }

    @Test func escapeCancelsThePromptAndPresetPasswordSkipsIt() {
        var model = Self.lobby()
        _ = model.handle(.down)
        _ = model.handle(.down)
        _ = model.handle(.enter)
        _ = model.handle(.escape)
        #expect(model.screen == .lobby)
        #expect(!Fixtures.draw(model).contains("Password for"))

        var preset = Self.lobby(password: "given")
        _ = preset.handle(.down)
        _ = preset.handle(.down)
        #expect(preset.handle(.enter) == [.joinRoom(NetworkJoinChoice(room: "vault#\(Self.id("vault"))", address: "127.0.0.1:4100", password: "given"))])
    }

    @Test func aBareAddressAsksForTheRoomName() {
        var model = Self.lobby()
        for _ in 0 ..< 3 { _ = model.handle(.down) }
        _ = model.handle(.enter)
        #expect(Fixtures.draw(model).contains("Room at 192.0.2.7:5000"))
        _ = Key.typing("duo").map { model.handle($0) }
        _ = model.handle(.enter)
        #expect(Fixtures.draw(model).contains("Password (Enter for none):"))
        // Found at a resolver: joined through it (introduced to the host, relayed if need be), not by dialling the address.
        #expect(model.handle(.enter) == [.joinRoom(NetworkJoinChoice(
            room: "duo", address: "192.0.2.7:5000", password: nil, mesh: .search(resolvers: ["127.0.0.1:47000"], lan: false)))])
    }

    @Test func aRoomBehindANATSaysItIsPunchedAndIsJoinedThroughItsResolver() {
        var model = Fixtures.model()
        model.showNetwork(RoomDirectory(heard: [
            .init(address: "198.51.100.4:6000", details: [], source: "resolver 203.0.113.1:47000", pingMilliseconds: 41,
                  probed: RoomAdvert(decoding: Self.advert("attic"))!, path: .punched),
            .init(address: "127.0.0.1:4000", details: Self.advert("basement"), source: "LAN", pingMilliseconds: 1, path: .direct),
        ], sources: [RoomSourceReport(label: "resolver 203.0.113.1:47000", outcome: .members(1))]))
        let screen = Fixtures.draw(model)
        #expect(screen.row(3).contains("attic         #\(Self.id("attic")) snake   Open Field  1/3     41 ms P"))
        #expect(screen.row(4).contains("basement      #\(Self.id("basement")) snake   Open Field  1/3     1 ms "))
        #expect(screen.contains("attic #\(Self.id("attic")) at 198.51.100.4:6000 (resolver 203.0.113.1:47000, punched)"))
        #expect(screen.row(23).contains("P punched"), "the letter is explained")
        #expect(model.handle(.enter) == [.joinRoom(NetworkJoinChoice(
            room: "attic#\(Self.id("attic"))", address: "198.51.100.4:6000", password: nil,
            mesh: .search(resolvers: ["203.0.113.1:47000"], lan: false)))])
        // A LAN row is dialled where it was heard.
        model = Fixtures.model()
        model.showNetwork(RoomDirectory(heard: [
            .init(address: "127.0.0.1:4000", details: Self.advert("basement"), source: "LAN", pingMilliseconds: 1, path: .direct),
        ], sources: []))
        #expect(model.handle(.enter) == [.joinRoom(NetworkJoinChoice(room: "basement#\(Self.id("basement"))", address: "127.0.0.1:4000", password: nil))])
    }

    @Test func selectionFollowsTheRoomAcrossRounds() {
        var model = Self.lobby()
        _ = model.handle(.down)   // busy
        var shorter = RoomDirectory(heard: [
            .init(address: "10.0.0.9:4200", details: Self.advert("busy", members: 1), source: "LAN"),
        ], sources: [RoomSourceReport(label: "LAN", outcome: .rooms(1))])
        model.showNetwork(shorter)
        #expect(model.lobby.selected == 0)
        shorter = RoomDirectory(heard: [], sources: [RoomSourceReport(label: "LAN", outcome: .rooms(0))])
        model.showNetwork(shorter)
        #expect(model.lobby.selected == 0)
        #expect(Fixtures.draw(model).contains("LAN: 0 rooms"))
    }

    /// What the directory makes of hostile adverts is tested in NetplayTests; here: nothing of them reaches the terminal.
    @Test func hostileAdvertsNeverReachTheTerminal() {
        let evil = "\u{1B}[2J\u{1B}]0;pwned\u{07}x\u{202E}" + String(repeating: "W", count: 40)
        let heard = (0 ..< 100).map { index in
            RoomDirectory.Heard(address: "10.0.\(index / 250).\(index % 250):4000\u{1B}[5m", details: Self.advert(evil + "\(index)"),
                                source: "LAN\u{07}")
        }
        var model = Fixtures.model()
        model.showNetwork(RoomDirectory(heard: heard, sources: []))
        let screen = Fixtures.draw(model)
        #expect(screen.contains("xWWWW"))
        #expect(!screen.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x202E })
        // The selection scrolls through all 32 rows the directory keeps.
        for _ in 0 ..< 40 { _ = model.handle(.down) }
        #expect(model.lobby.selected == RoomDirectory.maxRooms - 1)
        #expect(!Fixtures.draw(model).text.unicodeScalars.contains { $0.value == 0x1B })
    }
}

/// `w` in the lobby watches a running room's match; an open or locked room cannot be watched.
@Suite struct LobbyWatchKeyTests {
    @Test func wOnARunningRoomWatchesItsMatchThroughTheRoomsAddress() {
        var model = NetworkLobbyTests.lobby()
        // Rows: arena (open), busy (in game), vault (locked).
        _ = model.handle(.down)
        let effects = model.handle(.character("w"))
        guard case .watchRoom(let choice)? = effects.first else {
            Issue.record("w on a running room asks for nothing: \(effects)")
            return
        }
        #expect(choice.room == "busy#\(NetworkLobbyTests.id("busy"))")
        #expect(choice.address == "10.0.0.9:4200")
        #expect(model.screen == .room, "the room screen says it is joining until the match shows")
    }

    @Test func wOnAnOpenOrLockedRoomDoesNothing() {
        var model = NetworkLobbyTests.lobby()
        #expect(model.handle(.character("w")).isEmpty, "arena is open: nothing to watch yet")
        _ = model.handle(.down)
        _ = model.handle(.down)
        #expect(model.handle(.character("w")).isEmpty, "vault is locked: its match cannot be watched")
        #expect(model.screen == .lobby)
    }

    @Test func theLobbysHintLineOffersWatching() {
        #expect(Fixtures.draw(NetworkLobbyTests.lobby()).row(23).contains("w watch"))
    }
}
