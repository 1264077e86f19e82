import MeshplayCore
import Testing
@testable import TerminalUI

@Suite struct ScreenLayoutTests {
    @Test func lobbyListsRoomsAndHints() {
        var model = Fixtures.model()
        let empty = Fixtures.draw(model)
        #expect(empty.contains("No rooms yet. Press c to create one."))
        #expect(empty.contains("c create"))
        _ = model.handle(.char("c"))
        #expect(model.screen == .createRoom)
        let form = Fixtures.draw(model)
        #expect(form.contains("Create a room"))
        #expect(form.contains("open (8 seats)"))
        _ = model.handle(.right)          // map: walled
        _ = model.handle(.down)
        _ = model.handle(.right)          // bots: 4
        _ = model.handle(.enter)
        #expect(model.screen == .room)
        #expect(model.room!.settings.mapName == "walled")
        #expect(model.room!.members.count == 5)
        _ = model.handle(.escape)
        let lobby = Fixtures.draw(model)
        #expect(lobby.contains("snake     walled"))
        #expect(lobby.contains("5/"))
        #expect(lobby.contains("local"))
    }

    @Test func roomShowsMembersSettingsAndChat() {
        var model = Fixtures.model()
        model.openLocalRoom(Fixtures.settings)
        _ = model.handle(.enter)
        _ = Key.typing("gl hf").map { model.handle($0) }
        _ = model.handle(.enter)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("alice (you)"))
        #expect(screen.contains("not ready"))
        #expect(screen.contains("bot3 (bot)"))
        #expect(screen.contains("Map          open"))
        #expect(screen.contains("alice: gl hf"))
    }

    @Test func gameScreenAt80x24() {
        let controller = Fixtures.controller()
        _ = controller.handle(.char("r"), now: Fixtures.at(milliseconds: 0))
        for step in 1 ... 20 { _ = controller.advance(now: Fixtures.at(milliseconds: UInt64(step) * 100)) }
        let screen = Fixtures.draw(controller)
        #expect(screen.row(0).contains("snake on open"))
        #expect(screen.contains("Scores"))
        #expect(screen.contains("alice"))
        #expect(screen.contains("bot1"))
        #expect(screen.row(23).contains("local game: ping 0 ms, loss 0%"))
        #expect(screen.row(23).contains("delay 0"))
        // The whole 52x20 open map is on screen: its corner walls are in rows 1 and 20.
        #expect(screen[0, 1].scalar == "█" && screen[51, 20].scalar == "█")
        #expect(screen[0, 1].paint == .wall)
        let head = BoardView.head(of: PlayerSlot(0), in: controller.session!.view)
        if let head { #expect(screen[head.x, head.y + 1].reverse, "the local head is drawn in reverse") }
    }

    @Test func asciiFallbackUsesAsciiGlyphs() {
        let controller = Fixtures.controller()
        _ = controller.handle(.char("r"), now: Fixtures.at(milliseconds: 0))
        var buffer = CellBuffer(width: 80, height: 24, asciiOnly: true)
        controller.draw(into: &buffer)
        #expect(buffer[0, 1].scalar == "#")
        #expect(buffer.cells.allSatisfy { $0.scalar.isASCII })
    }

    @Test func stallIndicatorNamesWhomTheGameWaitsFor() {
        let controller = Fixtures.controller()
        _ = controller.handle(.char("r"), now: Fixtures.at(milliseconds: 0))
        var model = controller.model
        var status = model.game!.status
        status.isLocal = false
        status.inputDelay = 3
        status.waitingFor = ["bob", "carol"]
        status.stalledMilliseconds = 1500
        status.peers = [PeerStatus(slot: PlayerSlot(1), name: "bob", pingMilliseconds: 48, lossPercent: 2, isLocal: false)]
        model.refresh(view: model.game!.view, status: status)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("STALLED: waiting for bob, carol (1.5 s)"))
        #expect(screen.row(23).contains("bob 48ms 2%"))
        #expect(screen.row(23).contains("delay 3"))
    }

    @Test(arguments: [(79, 24), (80, 23), (40, 10), (20, 5)])
    func tooSmallTerminalsSayWhatIsNeeded(width: Int, height: Int) {
        var model = Fixtures.model()
        model.openLocalRoom(Fixtures.settings)
        let screen = Fixtures.draw(model, width: width, height: height)
        #expect(screen.contains("too small") || screen.contains("Terminal too"))
        #expect(!screen.contains("Members"))
    }

    @Test(arguments: [(80, 24), (100, 30), (160, 50)])
    func everyScreenLaysOutFrom80x24Up(width: Int, height: Int) {
        let controller = Fixtures.controller()
        #expect(Fixtures.draw(controller, width: width, height: height).contains("Members 4/8"))
        _ = controller.handle(.char("r"), now: Fixtures.at(milliseconds: 0))
        let game = Fixtures.draw(controller, width: width, height: height)
        #expect(game.contains("Scores"))
        #expect(game.row(height - 1).contains("tick"))
        // The sidebar hugs the right edge whatever the width.
        #expect(game.find("Scores")!.x == width - GameScreen.sidebarWidth + 3)
    }

    @Test func resizeRedrawsForTheNewSize() {
        let controller = Fixtures.controller()
        _ = controller.handle(.char("r"), now: Fixtures.at(milliseconds: 0))
        #expect(Fixtures.draw(controller, width: 60, height: 20).contains("too small"))
        _ = controller.handle(.resize, now: Fixtures.at(milliseconds: 10))
        #expect(controller.model.screen == .game, "a resize is not a key for the screens")
        #expect(Fixtures.draw(controller, width: 80, height: 24).contains("Scores"))
    }

    @Test func bigMapsScrollAroundTheLocalHead() {
        let controller = Fixtures.controller(bots: 7, map: "arena16")
        _ = controller.handle(.char("r"), now: Fixtures.at(milliseconds: 0))
        for step in 1 ... 10 { _ = controller.advance(now: Fixtures.at(milliseconds: UInt64(step) * 100)) }
        let view = controller.session!.view
        #expect(view.width > 53 && view.height > 21)
        let screen = Fixtures.draw(controller)
        // A clipped board is marked at its edges, and the local head is on screen.
        #expect(screen.cells.contains { $0.paint == .warning && "<>^v".unicodeScalars.contains($0.scalar) })
        #expect(screen.cells.contains { $0.reverse && $0.paint == .player(0, head: true) })
    }

    @Test func resultsShowWinnerScoresAndReplayPath() {
        var model = Fixtures.model()
        model.openLocalRoom(Fixtures.settings)
        let controller = Fixtures.controller()
        _ = controller.handle(.char("r"), now: Fixtures.at(milliseconds: 0))
        model = controller.model
        let outcome = GameOutcome(placings: [
            .init(slot: PlayerSlot(2), score: 9, place: 1), .init(slot: PlayerSlot(0), score: 4, place: 2),
            .init(slot: PlayerSlot(1), score: 1, place: 3), .init(slot: PlayerSlot(3), score: 0, place: 4),
        ], winner: PlayerSlot(2), reason: "time up")
        model.apply(.finished(outcome, replayPath: "/tmp/r/snake-1.mpr"))
        #expect(model.screen == .results)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("Match over: time up"))
        #expect(screen.contains("Winner: bot2"))
        #expect(screen.contains("alice (you)"))
        #expect(screen.contains("Replay saved to /tmp/r/snake-1.mpr"))
        _ = model.handle(.enter)
        #expect(model.screen == .room)
    }
}
