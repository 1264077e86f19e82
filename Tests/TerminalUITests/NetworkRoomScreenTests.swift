import Bots
import MeshplayCore
import Testing
@testable import TerminalUI

/// The room screen for a room on the network: what the peer learnt of the room is
/// what the player sees (members, ready, ping, host, real settings), r goes to the room,
/// and there are no bots to add.
@Suite("Network room screen")
struct NetworkRoomScreenTests {
    static func joined() -> AppModel {
        var model = Fixtures.model()
        model.openNetworkRoom(NetworkJoinChoice(room: "arena", address: "127.0.0.1:4000", password: nil))
        model.updateNetworkRoom(HumanSeatSnapshot.Room(
            name: "arena", map: "Maze", playerCap: 4, tickRate: 20, matchLengthTicks: 2400, locked: true,
            members: [
                .init(name: "host-bot", isReady: false, isHost: true, isYou: false, pingMilliseconds: 3),
                .init(name: "alice", isReady: false, isHost: false, isYou: true, pingMilliseconds: nil),
                .init(name: "far\u{1B}[31m", isReady: true, isHost: false, isYou: false, pingMilliseconds: 120),
            ]))
        return model
    }

    @Test func showsTheRoomsMembersAndSettingsAt80x24() {
        let screen = Fixtures.draw(Self.joined())
        #expect(screen.contains("room: arena at 127.0.0.1:4000 (network)"))
        #expect(screen.contains("Members 3/4"))
        #expect(screen.contains("host-bot *"))
        #expect(screen.contains("alice (you)"))
        #expect(screen.contains("3 ms"))
        #expect(screen.contains("120 ms"))
        #expect(screen.contains("Map          Maze"))
        #expect(screen.contains("2 min (2400 ticks)"))
        #expect(screen.contains("Tick rate    20 Hz"))
        #expect(screen.contains("Password     yes"))
        #expect(screen.contains("In the room. Press r"))
        #expect(!screen.contains("+ bot"))
        // An escape sequence in a member's name never reaches the terminal.
        #expect(!screen.contains("\u{1B}"))
    }

    @Test func beforeTheRoomAnswersItSaysItIsJoining() {
        var model = Fixtures.model()
        model.openNetworkRoom(NetworkJoinChoice(room: "arena", address: "127.0.0.1:4000", password: nil))
        let screen = Fixtures.draw(model)
        #expect(screen.contains("Joining..."))
        #expect(screen.contains("Waiting for the room's answer."))
    }

    @Test func readyGoesToTheRoomAndBotsCannotBeAdded() {
        var model = Self.joined()
        #expect(model.handle(.char("r")) == [.setNetworkReady(true)])
        #expect(Fixtures.draw(model).contains("r not ready"))
        #expect(model.handle(.char("+")) == [])
        #expect(Fixtures.draw(model).contains("Bots are added by the"))
        #expect(model.handle(.char("r")) == [.setNetworkReady(false)])
    }

    @Test func roomChatIsSentToTheRoomNotEchoedLocally() {
        var model = Self.joined()
        _ = model.handle(.enter)
        for character in "hello" { _ = model.handle(.char(character)) }
        #expect(model.handle(.enter) == [.sendChat("hello")])
        #expect(!Fixtures.draw(model).contains("alice: hello"))
    }

    @Test func aFailedJoinClearsReadySoRTriesAgain() {
        var model = Self.joined()
        _ = model.handle(.char("r"))
        model.matchFailedToStart("room arena not found within 30 s")
        #expect(model.room?.network?.wantsReady == false)
        #expect(model.handle(.char("r")) == [.setNetworkReady(true)])
    }

    @Test func leavingGoesBackToTheLobby() {
        var model = Self.joined()
        #expect(model.handle(.escape) == [.leaveNetwork])
        #expect(model.screen == .lobby)
        #expect(model.networkRoom == nil)
    }
}
