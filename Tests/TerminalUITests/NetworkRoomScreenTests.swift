import Lobby
import MeshplayCore
@testable import Netplay
import Snake
import Testing
@testable import TerminalUI

/// The room screen for a room on the network: what the player's node knows of the room is
/// what the player sees (members, ready, ping, host, real settings), r goes to the node,
/// and there are no bots to add.
@Suite("Network room screen")
struct NetworkRoomScreenTests {
    static let choice = NetworkJoinChoice(room: "arena", address: "127.0.0.1:4000", password: nil)

    static func joined() throws -> AppModel {
        var model = Fixtures.model()
        model.openNetworkRoom(choice)
        var settings = try Fixtures.setup.makeSettings("arena", RoomChoices(mapName: "maze", bots: 0, matchSeconds: 120, tickRate: 20))
        settings.playerCap = 4
        settings.hasPassword = true
        let (room, peers) = try Fixtures.roomStatus(
            ["host-bot", "alice", "far\u{1B}[31m"], ready: [false, false, true], pings: [3, nil, 120], localIndex: 1, settings: settings)
        model.room?.update(room: room, localPeer: peers[1])
        return model
    }

    @Test func aMemberReachedThroughTheRelayIsMarkedAndTheHintSaysWhatTheMarkMeans() throws {
        var model = try Self.joined()
        #expect(!Fixtures.draw(model).contains("R relayed"), "every link direct: no mark, no hint")
        var room = try #require(model.room?.room)
        room.members[2].member.path = .relayed
        room.members[0].member.path = .direct
        model.room?.update(room: room, localPeer: room.members[1].member.peer)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("120 ms R"), "\(screen)")
        #expect(!screen.contains("3 ms R") && !screen.contains("3 ms P"))
        #expect(screen.row(23).contains("R relayed"), "\(screen)")
    }

    @Test func showsTheRoomsMembersAndSettingsAt80x24() throws {
        let screen = Fixtures.draw(try Self.joined())
        #expect(screen.contains("room: arena at 127.0.0.1:4000 (network)"))
        #expect(screen.contains("Members 3/4"))
        #expect(screen.contains("host-bot *"))
        #expect(screen.contains("alice (you)"))
        #expect(screen.contains("3 ms"))
        #expect(screen.contains("120 ms"))
        #expect(screen.contains("Game         snake v1"))
        #expect(screen.contains("Map          Maze"))
        #expect(screen.contains("2 min (2400 ticks)"))
        #expect(screen.contains("Tick rate    20 Hz"))
        #expect(screen.contains("Password     yes"))
        #expect(screen.contains("In the room. Press r"))
        #expect(!screen.contains("+ bot"))
        #expect(!screen.contains("(bot)"), "nobody here is the player's own bot")
        // An escape sequence in a member's name never reaches the terminal.
        #expect(!screen.text.unicodeScalars.contains { $0.value == 0x1B })
        #expect(screen.contains("far"))
    }

    /// No wait goes unexplained: the members pane says what the next start needs.
    @Test func theMembersPaneSaysWhatTheStartWaitsFor() throws {
        var model = try Self.joined()
        #expect(Fixtures.draw(model).contains("Press r when you are ready."))
        _ = model.handle(.char("r"))
        #expect(Fixtures.draw(model).contains("Waiting for host-bot to be ready."))
        var settings = try Fixtures.setup.makeSettings("arena", RoomChoices(mapName: "maze", bots: 0, matchSeconds: 120, tickRate: 20))
        settings.playerCap = 4
        settings.startsWhenFull = true
        let (full, peers) = try Fixtures.roomStatus(["host-bot", "alice"], ready: [true, true], pings: [3, nil], localIndex: 1, settings: settings)
        model.room?.update(room: full, localPeer: peers[1])
        #expect(Fixtures.draw(model).contains("Starts when full: waiting for 2 more."))
        let (alone, me) = try Fixtures.roomStatus(["alice"], ready: [true], pings: [nil], localIndex: 0)
        model.room?.update(room: alone, localPeer: me[0])
        #expect(Fixtures.draw(model).contains("Waiting for another player to join."))
    }

    @Test func beforeTheRoomAnswersItSaysItIsJoining() {
        var model = Fixtures.model()
        model.openNetworkRoom(Self.choice)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("Joining room arena"))
        #expect(screen.contains("Joining..."))
        #expect(screen.contains("Waiting for the room's answer."))
    }

    @Test func readyGoesToTheNodeAndBotsCannotBeAdded() throws {
        var model = try Self.joined()
        #expect(model.handle(.char("r")) == [.setReady(true)])
        #expect(Fixtures.draw(model).contains("r not ready"))
        #expect(model.handle(.char("+")) == [])
        #expect(Fixtures.draw(model).contains("Bots are added by the"))
        #expect(model.handle(.char("-")) == [])
        #expect(model.handle(.char("r")) == [.setReady(false)])
    }

    @Test func roomChatIsSentToTheRoomNotEchoedLocally() throws {
        var model = try Self.joined()
        _ = model.handle(.enter)
        for character in "hello" { _ = model.handle(.char(character)) }
        #expect(Fixtures.draw(model).contains("> hello_"))
        #expect(model.handle(.enter) == [.sendChat("hello")])
        #expect(!Fixtures.draw(model).contains("alice: hello"))
    }

    @Test func aFailedJoinSaysWhyAndClearsReadySoRTriesAgain() throws {
        var model = try Self.joined()
        _ = model.handle(.char("r"))
        model.roomFailed("Room arena not found within 30 s.")
        #expect(model.room?.wantsReady == false)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("Members"))
        #expect(!screen.contains("Members 3/4"))
        #expect(screen.contains("Room arena not found within 30 s."))
        #expect(screen.contains("Not in the room: Room arena not found"))
        #expect(!screen.contains("Joining..."))
        #expect(model.handle(.char("r")) == [.setReady(true)])
    }

    /// The Members pane has one row for the reason; Settings wraps it whole, inside its frame.
    @Test func theSettingsPaneShowsTheWholeReason() throws {
        var model = try Self.joined()
        model.roomFailed("Could not join room arena: a game is already running in room arena, and the host is busy admitting others.")
        let screen = Fixtures.draw(model)
        let settingsTop = try #require(screen.find("Settings")).y
        let rows = (settingsTop + 1 ... settingsTop + 4).map { String(screen.row($0).dropFirst(2).prefix(41)).trimmingTrailingSpaces }
        #expect(rows == [
            "Not in the room: Could not join room",
            "arena: a game is already running in room",
            "arena, and the host is busy admitting",
            "others.",
        ], "\(screen)")
        #expect(screen.row(settingsTop + 5).trimmingTrailingSpaces.hasPrefix("│ "), "a fifth row is left blank")
        #expect(screen.row(settingsTop + 6).hasPrefix("└"), "the frame is whole")
    }

    @Test func leavingGoesBackToTheLobby() throws {
        var model = try Self.joined()
        #expect(model.handle(.escape) == [.leaveRoom])
        #expect(model.screen == .lobby)
        #expect(model.room == nil)
    }
}
