import Lobby
import MeshplayCore
@testable import Netplay
import Snake
import Testing
@testable import TerminalUI

@Suite struct ScreenLayoutTests {
    /// A model in a local room whose node reports `names` (the first is the player, the host).
    static func localRoom(_ names: [String] = ["alice", "bot1", "bot2", "bot3"], ready: [Bool]? = nil) throws -> AppModel {
        var model = Fixtures.model()
        model.openLocalRoom(named: "local-test", choices: Fixtures.choices)
        let (room, peers) = try Fixtures.roomStatus(names, ready: ready, pings: names.indices.map { $0 == 0 ? nil : 20 })
        model.room?.update(room: room, localPeer: peers[0])
        model.room?.botPeers = Array(peers.dropFirst())
        return model
    }

    @Test func lobbyAndTheCreateForm() async {
        let client = Fixtures.client()
        let empty = client.screen
        #expect(empty.contains("No rooms yet. Press c to create one."))
        #expect(empty.contains("c create"))
        await client.press(.char("c"))
        #expect(client.model.screen == .createRoom)
        let form = client.screen
        #expect(form.contains("Create a room"))
        #expect(form.contains("open (8 seats)"))
        #expect(form.contains("Bots"))
        #expect(form.contains("1 min"))
        #expect(form.contains("12 Hz"))
        await client.press(.right)          // map: walled
        await client.press(.down)
        await client.press(.right)          // bots: 4
        await client.press(.enter)
        #expect(client.model.screen == .room)
        #expect(await client.wait(for: "Members 5/"), "\(client.screen.text)")
        let room = client.screen
        #expect(room.contains("(local, with bots)"))
        #expect(room.contains("Map          Walled Garden"))
        #expect(room.contains("Bots         4"))
        await client.press(.escape)
        #expect(client.model.screen == .lobby)
        #expect(client.screen.contains("No rooms yet."))
    }

    @Test func createFormEscapeGoesBackToTheLobby() {
        var model = Fixtures.model()
        _ = model.handle(.char("c"))
        #expect(model.handle(.escape) == [])
        #expect(model.screen == .lobby)
        #expect(!Fixtures.draw(model).contains("Create a room"))
    }

    @Test func roomShowsMembersSettingsAndChat() throws {
        var model = try Self.localRoom(ready: [false, true, true, true])
        _ = model.handle(.enter)
        _ = Key.typing("gl hf").map { model.handle($0) }
        // Room chat goes to the room and comes back from it, in the room's order: no local echo.
        #expect(model.handle(.enter) == [.sendChat("gl hf")])
        #expect(!Fixtures.draw(model).contains("alice: gl hf"))
        model.chat(author: "alice", text: "gl hf")
        let screen = Fixtures.draw(model)
        #expect(screen.contains("Members 4/8"))
        #expect(screen.contains("alice (you) *"))
        #expect(screen.contains("not ready"))
        #expect(screen.contains("bot3 (bot)"))
        #expect(screen.contains("20 ms"))
        #expect(screen.contains("Map          Open Field"))
        #expect(screen.contains("1 min (720 ticks)"))
        #expect(screen.contains("Tick rate    12 Hz"))
        #expect(screen.contains("Bots         3"))
        #expect(screen.contains("alice: gl hf"))
        #expect(screen.contains("+ bot"))
    }

    @Test func aLocalRoomWaitsForItsBots() throws {
        var model = try Self.localRoom(["alice", "bot1"])
        let screen = Fixtures.draw(model)
        #expect(screen.contains("2 bots joining..."))
        #expect(model.room?.botsAreIn == false)
        model.room?.plannedBots = 1
        #expect(!Fixtures.draw(model).contains("joining..."))
        #expect(model.room?.botsAreIn == true)
    }

    @Test func gameScreenAt80x24() throws {
        let model = try Fixtures.modelInMatch()
        let screen = Fixtures.draw(model)
        #expect(screen.row(0).contains("snake on Open Field"))
        #expect(screen.contains("Scores"))
        #expect(screen.contains("alice"))
        #expect(screen.contains("bot1"))
        #expect(screen.row(23).contains("tick 0 | 12 Hz | delay 2"))
        #expect(screen.row(23).contains("bot1 20ms 0%"))
        #expect(screen.row(23).contains("bot3 20ms 0%"))
        #expect(screen.row(22).contains("Steer arrows, WASD, hjkl"), "the game's own key hint")
        // The whole 52x20 open map is on screen: its corner walls are in rows 1 and 20.
        #expect(screen[0, 1].scalar == "█" && screen[51, 20].scalar == "█")
        #expect(screen[0, 1].paint == .wall)
        let head = try #require(BoardView.head(of: PlayerSlot(0), in: model.game!.view))
        #expect(screen[head.x, head.y + 1].reverse, "the local head is drawn in reverse")
    }

    @Test func asciiFallbackUsesAsciiGlyphs() throws {
        let model = try Fixtures.modelInMatch()
        let buffer = Fixtures.draw(model, ascii: true)
        #expect(buffer[0, 1].scalar == "#")
        #expect(buffer.cells.allSatisfy { $0.scalar.isASCII })
    }

    @Test func stallIndicatorNamesWhomTheGameWaitsFor() throws {
        var model = try Fixtures.modelInMatch(players: ["alice", "bob", "carol"])
        var status = model.game!.status
        status.inputDelay = 3
        status.waitingFor = [PlayerSlot(1), PlayerSlot(2)]
        status.stalledFor = .milliseconds(1500)
        let links = [LinkStatus(slot: PlayerSlot(1), name: "bob", roundTrip: .milliseconds(48), lossPercent: 2),
                     LinkStatus(slot: PlayerSlot(2), name: "carol", roundTrip: nil, lossPercent: 0)]
        model.refresh(view: model.game!.view, status: status, links: links)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("STALLED: waiting for bob, carol (1.5 s)"))
        #expect(screen.row(23).contains("bob 48ms 2%"))
        #expect(screen.row(23).contains("carol ?ms 0%"), "a link not measured yet")
        #expect(screen.row(23).contains("delay 3"))
    }

    @Test func theStatusLineSaysWhichLinksArePunchedOrRelayed() throws {
        var model = try Fixtures.modelInMatch(players: ["alice", "bob", "carol", "dave"])
        let links = [LinkStatus(slot: PlayerSlot(1), name: "bob", roundTrip: .milliseconds(48), lossPercent: 2, path: .relayed),
                     LinkStatus(slot: PlayerSlot(2), name: "carol", roundTrip: .milliseconds(30), lossPercent: 0, path: .punched),
                     LinkStatus(slot: PlayerSlot(3), name: "dave", roundTrip: .milliseconds(9), lossPercent: 0, path: .direct)]
        let line = StatusLine.text(model.game!.status, links: links)
        #expect(line.contains("bob 48ms 2% relayed"), "\(line)")
        #expect(line.contains("carol 30ms 0% punched"), "\(line)")
        #expect(line.contains("dave 9ms 0%") && !line.contains("direct"), "direct is the usual case and goes unsaid: \(line)")
        // And on the 80-column screen, the first of them shows in full.
        model.refresh(view: model.game!.view, status: model.game!.status, links: links)
        #expect(Fixtures.draw(model).row(23).contains("bob 48ms 2% relayed"))
    }

    @Test func aDroppedPlayerShowsAsLeftOnTheStatusLine() throws {
        var model = try Fixtures.modelInMatch(players: ["alice", "bob", "carol"])
        var status = model.game!.status
        status.dropped = [2]
        let links = [LinkStatus(slot: PlayerSlot(1), name: "bob", roundTrip: .milliseconds(48), lossPercent: 2),
                     LinkStatus(slot: PlayerSlot(2), name: "carol", roundTrip: nil, lossPercent: 0)]
        model.refresh(view: model.game!.view, status: status, links: links)
        let line = Fixtures.draw(model).row(23)
        #expect(line.contains("bob 48ms 2% | carol left"), "\(line)")
    }

    @Test(arguments: [(79, 24), (80, 23), (40, 10), (20, 5)])
    func tooSmallTerminalsSayWhatIsNeeded(width: Int, height: Int) throws {
        let model = try Self.localRoom()
        let screen = Fixtures.draw(model, width: width, height: height)
        #expect(screen.contains("too small") || screen.contains("Terminal too"))
        #expect(!screen.contains("Members"))
    }

    @Test func aTooSmallTerminalStillShowsTheQuitQuestion() throws {
        var model = try Fixtures.modelInMatch()
        _ = model.handle(.char("q"))
        #expect(Fixtures.draw(model, width: 60, height: 20).contains("Leave the match and quit? y / n"))
    }

    @Test(arguments: [(80, 24), (100, 30), (160, 50)])
    func everyScreenLaysOutFrom80x24Up(width: Int, height: Int) throws {
        var model = try Self.localRoom()
        #expect(Fixtures.draw(model, width: width, height: height).contains("Members 4/8"))
        let match = try Fixtures.match()
        model.matchStarted(title: match.title, view: match.view, status: match.status, links: match.links, controls: SnakeRules.controls)
        let game = Fixtures.draw(model, width: width, height: height)
        #expect(game.contains("Scores"))
        #expect(game.row(height - 1).contains("tick"))
        // The sidebar hugs the right edge whatever the width.
        #expect(game.find("Scores")!.x == width - GameScreen.sidebarWidth + 3)
        model.matchEnded(try ResultsScreenTests.report(slot: 0))
        let results = Fixtures.draw(model, width: width, height: height)
        #expect(results.contains("Match over: time up"))
        #expect(results.row(height - 1).contains("Enter back to room"))
    }

    @Test func resizeRedrawsForTheNewSize() async throws {
        let client = Fixtures.client()
        client.controller.createRoom(Fixtures.choices)
        #expect(await client.wait(for: "Members 4/8"))
        client.width = 60
        client.height = 20
        #expect(client.screen.contains("too small"))
        await client.press(.resize)
        #expect(client.model.screen == .room, "a resize is not a key for the screens")
        client.width = 80
        client.height = 24
        #expect(client.screen.contains("Members 4/8"))
    }

    /// Your snake, head and body, is reversed; in ASCII its body is "O" where others are "o",
    /// and the scoreboard's swatch is no map glyph.
    @Test(arguments: [false, true])
    func yourSnakeStandsOutWithAndWithoutColour(ascii: Bool) throws {
        let model = try Fixtures.modelInMatch(steps: 4)
        let screen = Fixtures.draw(model, ascii: ascii)
        let mine = screen.cells.filter { $0.paint == .player(0, head: false) || $0.paint == .player(0, head: true) }
        let theirs = screen.cells.filter { $0.paint == .player(1, head: false) }
        let ownBody = mine.filter { $0.paint == .player(0, head: false) && $0.scalar != "=" }
        #expect(!ownBody.isEmpty && !theirs.isEmpty)
        #expect(mine.allSatisfy { $0.reverse }, "every cell of your snake is reversed")
        #expect(!theirs.contains { $0.reverse && $0.scalar != "=" }, "nobody else's is")
        if ascii {
            #expect(ownBody.allSatisfy { $0.scalar == "O" })
            #expect(theirs.filter { $0.scalar != "=" }.allSatisfy { $0.scalar == "o" })
            let scores = try #require(screen.find("Scores"))
            let swatches = (scores.y + 1 ..< scores.y + 5).map { String(screen.row($0).dropFirst(scores.x - 3)) }
            #expect(swatches.allSatisfy { !$0.contains("#") && $0.contains("=") }, "\(swatches)")
        }
    }

    @Test func bigMapsScrollAroundTheLocalHead() throws {
        let model = try Fixtures.modelInMatch(players: ["alice"] + (1 ... 7).map { "bot\($0)" }, map: "arena16")
        let view = model.game!.view
        #expect(view.width > 53 && view.height > 21)
        let screen = Fixtures.draw(model)
        // A clipped board is marked at its edges, and the local head is on screen.
        #expect(screen.cells.contains { $0.paint == .warning && "<>^v".unicodeScalars.contains($0.scalar) })
        #expect(screen.cells.contains { $0.reverse && $0.paint == .player(0, head: true) })
    }
}

@Suite struct ResultsScreenTests {
    /// Four players; bot2 (slot 2) wins on time.
    static func report(slot: Int, replayPath: String? = "/tmp/r/snake-1.mpr", dropped: [Int] = []) throws -> MatchReport {
        let players = ["alice", "bot1", "bot2", "bot3"].enumerated().map { PlayerInfo(slot: PlayerSlot($0.offset), name: $0.element) }
        let outcome = GameOutcome(placings: [
            .init(slot: PlayerSlot(2), score: 9, place: 1), .init(slot: PlayerSlot(0), score: 4, place: 2),
            .init(slot: PlayerSlot(1), score: 1, place: 3), .init(slot: PlayerSlot(3), score: 0, place: 4),
        ], winner: PlayerSlot(2), reason: "time up")
        return MatchReport(
            room: "local-test", slot: PlayerSlot(slot), players: players, outcome: outcome, completed: true, ticks: 720,
            finalChecksum: StateChecksum(rawValue: 1), stallTicks: 0, frames: 720, droppedPlayers: dropped, desyncs: 0,
            replayPath: replayPath, failures: [])
    }

    @Test func resultsShowWinnerScoresAndReplayPath() throws {
        var model = try Fixtures.modelInMatch()
        model.matchEnded(try Self.report(slot: 0))
        #expect(model.screen == .results)
        let screen = Fixtures.draw(model)
        #expect(screen.contains("Match over: time up"))
        #expect(screen.contains("Winner: bot2"))
        #expect(screen.contains("1.     bot2            9"))
        #expect(screen.contains("2.     alice (you)     4"))
        #expect(screen.contains("Replay saved to /tmp/r/snake-1.mpr"))
        #expect(screen.contains("Watch it: meshplay replay /tmp/r/snake-1.mpr"))
        #expect(model.handle(.enter) == [])
        #expect(model.screen == .room)
        #expect(Fixtures.draw(model).contains("r ready"), "ready again is the player's choice")
    }

    /// The default replays folder is deep: at 80 columns the path wraps and is there whole, to copy.
    @Test func aLongReplayPathIsShownWholeAt80x24() throws {
        let path = "/home/tess/.local/share/meshplay/replays/local-4ef9765a-r1-g1-slot0-alice.mpr"
        var model = try Fixtures.modelInMatch()
        model.matchEnded(try Self.report(slot: 0, replayPath: path))
        let screen = Fixtures.draw(model)
        // The text column of the results box, row after row.
        let column = (0 ..< 24).map { String(screen.row($0).dropFirst(5).prefix(71)).trimmingTrailingSpaces }.joined()
        #expect(column.contains("Replay saved to " + path), "\(screen)")
        #expect(column.contains("Watch it: meshplay replay " + path))
        #expect(screen.contains("4.     bot3            0"), "every placing still shows")
    }

    /// A player who left ranks below those who played on; the row says so, whatever their score.
    @Test func aPlayerWhoLeftIsMarkedLeft() throws {
        var model = try Fixtures.modelInMatch()
        model.matchEnded(try Self.report(slot: 0, dropped: [3]))
        let screen = Fixtures.draw(model)
        #expect(screen.contains("4.     bot3            0      left"), "\(screen)")
        #expect(!screen.contains("bot1            1      left"))
    }

    /// "Replay saved" only when it was: a replay cut short says why and where the part recorded is.
    @Test func aReplayThatIsNotWholeIsNotCalledSaved() throws {
        var model = try Fixtures.modelInMatch()
        var report = try Self.report(slot: 0)
        report.failures = ["replay: the replay writer fell behind; recording stopped at tick 300"]
        model.matchEnded(report)
        let screen = Fixtures.draw(model)
        #expect(!screen.contains("Replay saved"), "\(screen)")
        #expect(screen.contains("Replay not saved whole: the replay writer fell behind"))
        #expect(screen.contains("What was recorded: /tmp/r/snake-1.mpr"))
    }

    @Test func theWinnerIsToldTheyWonAndAnUnrecordedMatchSaysSo() throws {
        var model = try Fixtures.modelInMatch()
        model.matchEnded(try Self.report(slot: 2, replayPath: nil))
        let screen = Fixtures.draw(model)
        #expect(screen.contains("You win! (bot2)"))
        #expect(screen.contains("This match was not recorded."))
        #expect(model.handle(.char("q")) == [.quit])
    }
}

/// After being dropped from a network room's match the others play on, the results offer the seat back.
@Suite struct RejoinOfferTests {
    @Test func droppedFromANetworkMatchOffersTheSeatBackWithB() throws {
        var model = try Fixtures.modelInMatch()
        model.matchEnded(try ResultsScreenTests.report(slot: 0), offersRejoin: true)
        #expect(Fixtures.draw(model).row(23).contains("b take your seat again"))
        #expect(model.handle(.character("b")) == [.rejoinMatch])
        #expect(model.screen != .results, "the results give way while the seat is taken again")
    }

    @Test func aMatchPlayedOutOffersNothingAndBDoesNothing() throws {
        var model = try Fixtures.modelInMatch()
        model.matchEnded(try ResultsScreenTests.report(slot: 0))
        #expect(!Fixtures.draw(model).contains("take your seat again"))
        #expect(model.handle(.character("b")).isEmpty)
        #expect(model.screen == .results)
    }
}
