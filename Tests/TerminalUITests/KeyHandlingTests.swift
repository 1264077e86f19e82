import MeshplayCore
import Snake
import Testing
@testable import TerminalUI

@Suite struct KeyHandlingTests {
    @Test func steeringKeysMatchSnakeDirections() {
        let cases: [(Key, Direction)] = [
            (.up, .up), (.down, .down), (.left, .left), (.right, .right),
            (.char("w"), .up), (.char("a"), .left), (.char("s"), .down), (.char("d"), .right),
            (.char("k"), .up), (.char("h"), .left), (.char("j"), .down), (.char("l"), .right),
            (.char("W"), .up), (.char("L"), .right),
        ]
        for (key, direction) in cases {
            #expect(SteeringKeys.input(for: key) == direction.input, "\(key)")
        }
        #expect(SteeringKeys.input(for: .char("x")) == nil)
        #expect(SteeringKeys.input(for: .enter) == nil)
    }

    /// A model in a running match, via the controller (no terminal).
    private func runningGame() -> ClientController {
        let controller = Fixtures.controller()
        #expect(controller.handle(.char("r"), now: Fixtures.at(milliseconds: 0)))
        #expect(controller.model.screen == .game)
        return controller
    }

    @Test func readyStartsTheMatchWhenBotsAreReady() {
        var model = Fixtures.model()
        model.openLocalRoom(Fixtures.settings)
        #expect(model.room!.members.count == 4)
        let effects = model.handle(.char("r"))
        guard case .startMatch(let settings, let members)? = effects.first else {
            Issue.record("expected a start, got \(effects)")
            return
        }
        #expect(settings.bots == 3)
        #expect(members.first?.isLocalPlayer == true)
    }

    @Test func roomAddsAndRemovesBots() {
        var model = Fixtures.model()
        model.openLocalRoom(Fixtures.settings)
        _ = model.handle(.char("+"))
        #expect(model.room!.members.count == 5)
        _ = model.handle(.char("-"))
        _ = model.handle(.char("-"))
        #expect(model.room!.members.count == 3)
        #expect(model.room!.settings.bots == 2)
    }

    @Test func gameKeysSteerAndChat() {
        let controller = runningGame()
        var model = controller.model
        #expect(model.handle(.char("d")) == [.steer(SteeringKeys.right)])
        #expect(model.handle(.enter) == [])
        #expect(model.game!.focus == .chat)
        // Letters are text while the chat line is open; arrows still steer.
        #expect(Key.typing("wasd hi").flatMap { model.handle($0) } == [])
        #expect(model.handle(.up) == [.steer(SteeringKeys.up)])
        #expect(model.handle(.enter) == [.sendChat("wasd hi")])
        #expect(model.game!.focus == .board)
    }

    @Test func escapeCancelsTheChatLine() {
        var model = runningGame().model
        _ = model.handle(.enter)
        _ = Key.typing("never sent").map { model.handle($0) }
        #expect(model.handle(.escape) == [])
        #expect(model.game!.focus == .board)
        #expect(model.game!.chatLine.text.isEmpty)
        #expect(model.handle(.char("a")) == [.steer(SteeringKeys.left)])
    }

    @Test func quitDuringAMatchAsksFirst() {
        var model = runningGame().model
        #expect(model.handle(.char("q")) == [])
        #expect(model.game!.confirmingQuit)
        #expect(Fixtures.draw(model).contains("Leave the match and quit? y / n"))
        #expect(model.handle(.char("n")) == [])
        #expect(!model.game!.confirmingQuit)
        _ = model.handle(.char("q"))
        #expect(model.handle(.char("y")) == [.leaveMatch, .quit])
    }

    @Test func quitOutsideAMatchIsImmediate() {
        var model = Fixtures.model()
        #expect(model.handle(.char("q")) == [.quit])
        #expect(model.handle(.control("c")) == [.quit])
    }

    @Test func helpOpensOnQuestionMarkAndAnyKeyCloses() {
        var model = Fixtures.model()
        _ = model.handle(.char("?"))
        #expect(model.helpVisible)
        #expect(Fixtures.draw(model).contains("Help"))
        #expect(model.handle(.char("q")) == [], "the key that closes help does nothing else")
        #expect(!model.helpVisible)
    }

    @Test func pageKeysScrollTheChat() {
        var model = runningGame().model
        for index in 0 ..< 30 { model.apply(.chat(from: PlayerSlot(1), name: "bot1", text: "line \(index)")) }
        _ = model.handle(.pageUp)
        #expect(model.game!.chat.scrollBack == 5)
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
