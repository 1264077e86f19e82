import MeshplayCore
import Snake
import Testing
@testable import TerminalUI

@Suite struct KeyHandlingTests {
    /// The game's own bindings (GameControls) decide what a key plays.
    @Test func steeringKeysFollowTheGamesControls() throws {
        let game = try #require(try Fixtures.modelInMatch().game)
        let cases: [(Key, Direction)] = [
            (.up, .up), (.down, .down), (.left, .left), (.right, .right),
            (.char("w"), .up), (.char("a"), .left), (.char("s"), .down), (.char("d"), .right),
            (.char("k"), .up), (.char("h"), .left), (.char("j"), .down), (.char("l"), .right),
            (.char("W"), .up), (.char("L"), .right),
        ]
        for (key, direction) in cases {
            #expect(game.input(for: key, typing: false) == direction.input, "\(key)")
        }
        #expect(game.input(for: .char("x"), typing: false) == nil)
        #expect(game.input(for: .enter, typing: false) == nil)
        // While the chat line is open only arrows play; letters are text.
        #expect(game.input(for: .char("w"), typing: true) == nil)
        #expect(game.input(for: .up, typing: true) == Direction.up.input)
    }

    @Test func readyInARoomGoesToTheNode() {
        var model = Fixtures.model()
        model.openLocalRoom(named: "local-1", choices: Fixtures.choices)
        #expect(model.handle(.char("r")) == [.setReady(true)])
        #expect(Fixtures.draw(model).contains("r not ready"))
        #expect(model.handle(.char(" ")) == [.setReady(false)])
        #expect(Fixtures.draw(model).contains("r ready"))
    }

    @Test func plusAndMinusAskForBotsUpToTheSeats() {
        var model = Fixtures.model()
        model.openLocalRoom(named: "local-1", choices: Fixtures.choices)
        #expect(model.handle(.char("+")) == [.addBot])
        #expect(model.handle(.char("-")) == [.removeBot])
        // The open map seats 8: the player and 7 bots fill it.
        model.room?.plannedBots = 7
        #expect(model.handle(.char("+")) == [])
        #expect(Fixtures.draw(model).contains("The room is full (8 seats)."))
        model.room?.plannedBots = 0
        #expect(model.handle(.char("-")) == [], "no bot to remove")
    }

    @Test func gameKeysSteerAndChat() throws {
        var model = try Fixtures.modelInMatch()
        #expect(model.handle(.char("d")) == [.press(Direction.right.input)])
        #expect(model.handle(.enter) == [])
        #expect(model.game!.focus == .chat)
        // Letters are text while the chat line is open; arrows still steer.
        #expect(Key.typing("wasd hi?").flatMap { model.handle($0) } == [])
        #expect(!model.helpVisible, "? is text while typing")
        #expect(model.handle(.up) == [.press(Direction.up.input)])
        #expect(model.handle(.enter) == [.sendChat("wasd hi?")])
        #expect(model.game!.focus == .board)
    }

    @Test func escapeCancelsTheChatLine() throws {
        var model = try Fixtures.modelInMatch()
        _ = model.handle(.enter)
        _ = Key.typing("never sent").map { model.handle($0) }
        #expect(model.handle(.escape) == [])
        #expect(model.game!.focus == .board)
        #expect(model.game!.chatLine.text.isEmpty)
        #expect(model.handle(.char("a")) == [.press(Direction.left.input)])
    }

    @Test func quitDuringAMatchAsksFirst() throws {
        var model = try Fixtures.modelInMatch()
        #expect(model.handle(.char("q")) == [])
        #expect(model.game!.confirmingQuit)
        #expect(Fixtures.draw(model).contains("Leave the match and quit? y / n"))
        #expect(model.handle(.char("n")) == [])
        #expect(!model.game!.confirmingQuit)
        #expect(!Fixtures.draw(model).contains("Leave the match and quit?"))
        _ = model.handle(.escape)
        #expect(model.game!.confirmingQuit, "Esc asks too")
        #expect(model.handle(.char("y")) == [.leaveMatch, .quit])
    }

    @Test func ctrlCInAMatchLeavesItAndQuits() throws {
        var model = try Fixtures.modelInMatch()
        #expect(model.handle(.control("c")) == [.leaveMatch, .quit])
    }

    @Test func quitOutsideAMatchIsImmediate() {
        var model = Fixtures.model()
        #expect(model.handle(.char("q")) == [.quit])
        #expect(model.handle(.control("c")) == [.quit])
        model.openLocalRoom(named: "local-1", choices: Fixtures.choices)
        #expect(model.handle(.char("q")) == [.quit])
    }

    @Test func escapeInARoomLeavesItForTheLobby() {
        var model = Fixtures.model()
        model.openLocalRoom(named: "local-1", choices: Fixtures.choices)
        #expect(model.handle(.escape) == [.leaveRoom])
        #expect(model.screen == .lobby)
        #expect(Fixtures.draw(model).contains("c create"))
    }

    @Test func helpOpensOnQuestionMarkAndAnyKeyCloses() {
        var model = Fixtures.model()
        _ = model.handle(.char("?"))
        #expect(model.helpVisible)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("Help"))
        #expect(screen.contains("any key closes"))
        #expect(model.handle(.char("q")) == [], "the key that closes help does nothing else")
        #expect(!model.helpVisible)
        #expect(!Fixtures.draw(model).contains("any key closes"))
    }

    @Test func pageKeysScrollTheChat() throws {
        var model = try Fixtures.modelInMatch()
        for index in 0 ..< 30 { model.chat(author: "bot1", text: "line \(index)") }
        _ = model.handle(.pageUp)
        #expect(model.game!.chat.scrollBack == 5)
        #expect(Fixtures.draw(model).contains("[5 newer]"))
        _ = model.handle(.pageDown)
        #expect(model.game!.chat.scrollBack == 0)
    }

    @Test func cursesKeyDecoding() {
        #expect(CursesTerminal.decodeCharacter(13) == .enter)
        #expect(CursesTerminal.decodeCharacter(27) == .escape)
        #expect(CursesTerminal.decodeCharacter(3) == .control("c"))
        #expect(CursesTerminal.decodeCharacter(127) == .backspace)
        #expect(CursesTerminal.decodeCharacter(0x65E5) == .char("日"))
    }
}
