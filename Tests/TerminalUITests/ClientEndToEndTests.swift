import Bots
import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import Replay
import Simulation
import Snake
import Testing
@testable import TerminalUI

/// The whole client as a person uses it, over the simulated network in virtual time: a
/// `ClientController` on a `SimulatedNetplay`, keys pressed with `handle(_:now:)`, the clock
/// moved on in 10 ms steps, and every check made on the 80x24 screen it draws. Real nodes
/// (rooms, lockstep, recording) play whole matches in well under a second; nothing sleeps.
@Suite("Client end to end (simulated network)")
struct ClientEndToEndTests {
    /// A short match: 10 s at 12 Hz.
    static let shortMatch = RoomChoices(mapName: "open", bots: 3, matchSeconds: 10, tickRate: 12)

    /// `meshplay play --bots 3`: the room with its bot nodes, ready, the countdown, the match
    /// with every bot's ping, steering, chat, the end, the results and a replay that verifies.
    @Test func aLocalRoomOfThreeBotsPlaysToTheResultsAndItsReplayVerifies() async throws {
        let folder = try Fixtures.temporaryFolder("a")
        let client = Fixtures.client(replays: folder.path)
        client.controller.createRoom(Self.shortMatch)
        #expect(client.screen.contains("Starting the room..."))
        try #require(await client.wait(for: "Members 4/8"), "\(client.screen)")
        let room = client.screen
        #expect(room.contains("(local, with bots)"))
        #expect(room.contains("alice (you) *"))
        for bot in 1 ... 3 { #expect(room.contains("bot\(bot) (bot)"), "\(room)") }
        #expect(room.row(2).contains("not ready"), "the player is not ready until r")
        #expect(room.contains("Match        10 s (120 ticks)"))

        await client.press(.char("r"))
        try #require(await client.wait(for: "Starting in 3..."), "\(client.screen)")
        #expect(client.screen.contains("r not ready"))
        #expect(client.screen.row(2).contains("ready") && !client.screen.row(2).contains("not ready"), "\(client.screen)")
        #expect(await client.wait(for: "Starting in 1..."), "the countdown: \(client.screen)")
        try #require(await client.wait(forScreen: .game, seconds: 10), "\(client.screen)")
        let pings = await client.wait(seconds: 5) { screen in
            (1 ... 3).allSatisfy { screen.row(23).range(of: "bot\($0) \\d+ms \\d+%", options: .regularExpression) != nil }
        }
        #expect(pings, "the status line shows each bot's ping: \(client.screen)")
        let game = client.screen
        #expect(game.row(0).contains("snake on Open Field - tick"))
        #expect(game.contains("Scores"))
        #expect(game.contains("Recording to"))

        // Two turns inside one tick both count: up, then left on the next tick.
        await client.press(.up, step: 1)
        await client.press(.char("a"))
        await client.press(.enter)
        // A colour sequence typed into the line never reaches anyone's terminal or the replay.
        client.type("gl \u{1B}[31mhf all")
        #expect(client.screen.contains("> gl [31mhf all_"), "the escape itself is not drawn: \(client.screen)")
        await client.press(.enter)
        #expect(await client.wait(for: "alice: gl hf all"), "the line comes back through the match's chat: \(client.screen)")

        try #require(await client.wait(forScreen: .results, seconds: 30), "\(client.screen)")
        let results = client.screen
        let replay = try #require(folder.replays.first, "a replay in \(folder.path)")
        #expect(results.contains("Match over"))
        #expect(results.contains("alice (you)"))
        #expect(results.contains("Replay saved to \(replay)"), "\(results)")
        let file = try ReplayFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: replay))))
        let names = ["alice", "bot1", "bot2", "bot3"]
        if let winner = file.trailer?.outcome?.winner {
            let headline = winner == PlayerSlot(0) ? "You win! (alice)" : "Winner: \(names[winner.index])"
            #expect(results.contains(headline), "the results name the replay's winner: \(results)")
        } else {
            #expect(results.contains("A draw"))
        }

        let report = ReplayVerifier.verify(path: replay, catalog: Fixtures.catalog)
        #expect(report.status == .ok, "\(report)")
        #expect(!report.isTruncated)
        #expect(report.endedEarly == nil, "a match played to its end did not end early")
        #expect(report.ticks == 120)
        #expect(report.players.map(\.name) == names)
        let mine = file.inputChanges.filter { $0.slot == PlayerSlot(0) }.map(\.input)
        #expect(mine == [Direction.up.input, Direction.left.input], "the steering is what was recorded")
        #expect(file.events.map(\.event) == [.chat(slot: PlayerSlot(0), text: "gl hf all")], "the chat line, clean, in the replay")

        // Back to the room, where the bots are still in.
        await client.press(.enter)
        #expect(client.model.screen == .room)
        #expect(client.screen.contains("Members 4/8"))
        #expect(client.screen.contains("r ready"))
    }

    /// After the results, r plays the room's next match with the same bots; it is recorded to a file of its own.
    @Test func aLocalRoomPlaysASecondMatch() async throws {
        let folder = try Fixtures.temporaryFolder("again")
        let client = Fixtures.client(replays: folder.path)
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 1, matchSeconds: 10, tickRate: 12))
        try #require(await client.wait(for: "Members 2/8"))
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .results, seconds: 40))
        await client.press(.enter)
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10), "\(client.screen)")
        try #require(await client.wait(forScreen: .results, seconds: 40))
        #expect(folder.replays.count == 2)
        #expect(folder.replays.contains { $0.hasSuffix("-r2-g2-slot0-alice.mpr") }, "\(folder.replays)")
        for replay in folder.replays {
            #expect(ReplayVerifier.verify(path: replay, catalog: Fixtures.catalog).status == .ok, "\(replay)")
        }
    }

    /// The match runs at the room's tick rate on the client's clock: 5 s at 12 Hz is 60 ticks, give or take the input lead.
    @Test func theMatchRunsAtTheRoomsTickRate() async throws {
        let client = Fixtures.client()
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 1, matchSeconds: 60, tickRate: 12))
        try #require(await client.wait(for: "Members 2/8"))
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10))
        let start = try #require(client.model.game?.status.tick.rawValue)
        await client.advance(milliseconds: 5000)
        let end = try #require(client.model.game?.status.tick.rawValue)
        #expect((57 ... 63).contains(end - start), "\(end - start) ticks in 5 s")
        #expect(client.screen.row(0).contains("tick \(end) of 720"), "\(client.screen)")
        #expect(client.screen.row(23).hasPrefix(" tick \(end) | 12 Hz"))
    }

    /// A person's replays are never overwritten: a second client recording a room of the same name into the same folder gets a file of its own.
    @Test func aSecondRecordingOfTheSameRoomGetsAFileOfItsOwn() async throws {
        let folder = try Fixtures.temporaryFolder("twice")
        for _ in 0 ..< 2 {
            // The same seed: the same local room name, the same file name wanted.
            let client = Fixtures.client(replays: folder.path, seed: 5)
            client.controller.createRoom(RoomChoices(mapName: "open", bots: 1, matchSeconds: 10, tickRate: 12))
            try #require(await client.wait(for: "Members 2/8"))
            await client.press(.char("r"))
            try #require(await client.wait(forScreen: .results, seconds: 40))
            client.controller.shutdown()
        }
        let replays = folder.replays
        #expect(replays.count == 2, "\(replays)")
        #expect(replays.contains { $0.hasSuffix("-slot0-alice-2.mpr") }, "\(replays)")
        for replay in replays { #expect(ReplayVerifier.verify(path: replay, catalog: Fixtures.catalog).status == .ok) }
    }

    /// + and - start and close bot nodes; Members follows them, and the match seats exactly those in.
    @Test func plusAndMinusAddAndRemoveBotsInTheMembersPane() async throws {
        let client = Fixtures.client()
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 1, matchSeconds: 10, tickRate: 12))
        try #require(await client.wait(for: "Members 2/8"))
        await client.press(.char("+"))
        await client.press(.char("+"))
        #expect(client.screen.contains("Bots         3"))
        #expect(await client.wait(for: "Members 4/8"), "\(client.screen)")
        #expect(client.screen.contains("bot3 (bot)"))
        #expect(!client.screen.contains("joining..."))
        await client.press(.char("-"))
        #expect(client.screen.contains("Bots         2"))
        #expect(await client.wait(for: "Members 3/8"), "\(client.screen)")
        #expect(!client.screen.contains("bot3 (bot)"), "the newest bot left: \(client.screen)")
        #expect(client.screen.contains("bot3 left the room."), "its leaving is told in the chat: \(client.screen)")
        #expect(client.screen.contains("bot1 (bot)") && client.screen.contains("bot2 (bot)"))
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10), "\(client.screen)")
        let game = client.screen
        #expect(game.contains("bot1") && game.contains("bot2") && !game.contains("bot3"), "\(game)")
        #expect(game.row(23).contains("bot2") && !game.row(23).contains("bot3"))
    }

    /// r is held back until every bot asked for is in: a bot added just before r still plays.
    @Test func readyWaitsForABotStillJoining() async throws {
        let client = Fixtures.client()
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 1, matchSeconds: 10, tickRate: 12))
        try #require(await client.wait(for: "Members 2/8"))
        await client.press(.char("+"), step: 0)
        await client.press(.char("r"), step: 0)
        #expect(client.screen.contains("1 bot joining..."))
        try #require(await client.wait(forScreen: .game, seconds: 10), "\(client.screen)")
        #expect(client.screen.row(23).contains("bot2"), "the late bot plays: \(client.screen)")
    }

    /// A bot added during the countdown cannot join a match under way: it gives up, the room
    /// says so and stops waiting for it, and the next match starts with the bots that are in.
    @Test func aBotThatCannotJoinIsNotWaitedForEver() async throws {
        let client = Fixtures.client()
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 1, matchSeconds: 10, tickRate: 12))
        try #require(await client.wait(for: "Members 2/8"))
        await client.press(.char("r"))
        try #require(await client.wait(for: "Starting in 3..."))
        await client.press(.char("+"))
        #expect(client.screen.contains("Bots         2"))
        #expect(await client.wait(seconds: 5) { $0.contains("bot2 gave up: could not join") }, "\(client.screen)")
        #expect(client.screen.contains("Bots         1"))
        #expect(!client.screen.contains("joining..."))
        try #require(await client.wait(forScreen: .results, seconds: 40))
        await client.press(.enter)
        await client.press(.char("r"))
        #expect(await client.wait(forScreen: .game, seconds: 10), "r starts the next match: \(client.screen)")
    }

    /// A room hosted by a bot node on the network: listed in the lobby, joined with Enter, its
    /// members and their ready state, room chat both ways, r and the host's start, the match,
    /// the results; both sides' replays agree.
    @Test func aNetworkRoomHostedByABotIsJoinedAndPlayed() async throws {
        let folder = try Fixtures.temporaryFolder("c")
        let botFolder = try Fixtures.temporaryFolder("cbot")
        let client = Fixtures.client(replays: folder.path, places: RoomPlaces(lan: true, resolvers: [], peers: []))
        let settings = try Fixtures.setup.makeSettings("duel", RoomChoices(mapName: "open", bots: 0, matchSeconds: 10, tickRate: 12))
        _ = client.startBot(
            plan: BotPlan(name: "host-bot", role: .create(settings: settings, playersToStart: 2), chats: true, seed: 3),
            recordingTo: botFolder.path)
        try #require(await client.wait(for: "duel"), "the lobby lists the bot's room: \(client.screen)")
        let lobby = client.screen
        // The room's id (its host's) shows after its name, and goes with the join.
        #expect(lobby.row(3).contains("duel          #") && lobby.row(3).contains(" snake   Open Field  1/8     10 ms"), "\(lobby)")
        #expect(lobby.contains("duel #") && lobby.contains(" at sim:0 (simulated network)"))

        await client.press(.enter)
        #expect(client.model.screen == .room)
        #expect(client.screen.contains("room: duel#") && client.screen.contains(" at sim:0 (network)"))
        try #require(await client.wait(for: "Members 2/8"), "\(client.screen)")
        let room = client.screen
        #expect(room.row(2).contains("host-bot *") && room.row(2).contains("ready"), "\(room)")
        #expect(room.row(3).contains("alice (you)") && room.row(3).contains("not ready"))
        #expect(room.contains("In the room. Press r when ready"))
        #expect(room.contains("Password     no"))
        #expect(!room.contains("+ bot"))
        #expect(await client.wait(seconds: 10) { $0.contains("host-bot: ") }, "the host's room chat arrives: \(client.screen)")
        await client.press(.enter)
        client.type("hi host")
        await client.press(.enter)
        #expect(await client.wait(for: "alice: hi host"), "the player's line comes back from the room: \(client.screen)")

        await client.press(.char("r"))
        try #require(await client.wait(for: "Starting in 3..."), "the host starts once everyone is ready: \(client.screen)")
        try #require(await client.wait(forScreen: .game, seconds: 10))
        #expect(client.screen.row(0).contains("snake in room duel"))
        #expect(await client.wait(seconds: 5) { $0.row(23).range(of: #"host-bot \d+ms"#, options: .regularExpression) != nil })
        try #require(await client.wait(forScreen: .results, seconds: 30), "\(client.screen)")
        let replay = try #require(folder.replays.first)
        #expect(client.screen.contains("Replay saved to \(replay)"))
        #expect(client.screen.contains("alice (you)") && client.screen.contains("host-bot"))
        let mine = ReplayVerifier.verify(path: replay, catalog: Fixtures.catalog)
        #expect(mine.status == .ok, "\(mine)")
        #expect(mine.players.map(\.name) == ["host-bot", "alice"])
        // The bot closes its recording once it has lingered for slower peers.
        let theirs = try #require(botFolder.replays.first)
        var their = ReplayVerifier.verify(path: theirs, catalog: Fixtures.catalog)
        await client.wait(seconds: 10, every: 250) { _ in
            their = ReplayVerifier.verify(path: theirs, catalog: Fixtures.catalog)
            return their.status == .ok
        }
        #expect(their.status == .ok, "\(their)")
        #expect(their.finalChecksum == mine.finalChecksum, "both peers agree: \(their) / \(mine)")

        // The bot leaves after its one game; the player is the room's host now.
        await client.press(.enter)
        #expect(await client.wait(seconds: 10) { $0.contains("Members 1/8") && $0.contains("alice (you) *") }, "\(client.screen)")
    }

    /// A room that is not there: the reason shows where the members would be, never "Joining..." for ever.
    @Test func aJoinToAMissingRoomSaysWhyInTheRoomScreen() async throws {
        let client = Fixtures.client(joinTimeout: .seconds(3))
        let settings = try Fixtures.setup.makeSettings("duel", Self.shortMatch)
        _ = client.startBot(plan: BotPlan(name: "host-bot", role: .create(settings: settings, playersToStart: 2)))
        client.controller.joinRoom(NetworkJoinChoice(room: "nosuch", address: "sim:0", password: nil))
        #expect(client.screen.contains("Joining..."))
        try #require(await client.wait(seconds: 10) { !$0.contains("Joining...") }, "\(client.screen)")
        let screen = client.screen
        #expect(screen.row(2).contains("Room nosuch not found within 3 s"), "the Members pane says why: \(screen)")
        #expect(screen.contains("Not in the room: Room nosuch not found"), "so does Settings")
        #expect(screen.contains("(asked sim:0)."), "the chat pane has the whole reason")
        #expect(screen.contains("r ready"))
        await client.press(.escape)
        #expect(client.model.screen == .lobby)
    }

    /// A locked room from the lobby: the password is asked for and hidden; a wrong one is refused, and the room screen says so.
    @Test func aWrongPasswordIsRefusedAndTheRoomScreenSaysSo() async throws {
        let client = Fixtures.client(places: RoomPlaces(lan: true, resolvers: [], peers: []))
        let settings = try Fixtures.setup.makeSettings("vault", Self.shortMatch)
        _ = client.startBot(plan: BotPlan(name: "host-bot", role: .create(settings: settings, playersToStart: 2), password: "s3cret"))
        try #require(await client.wait(for: "vault"))
        #expect(client.screen.row(3).contains("1/8     10 ms     yes"), "the lock column: \(client.screen)")
        await client.press(.enter)
        #expect(client.screen.contains("Password for vault"))
        client.type("nope")
        #expect(client.screen.contains("Password: ****"))
        #expect(!client.screen.contains("nope"))
        await client.press(.enter)
        try #require(await client.wait(seconds: 10) { $0.contains("wrong password") }, "\(client.screen)")
        let screen = client.screen
        #expect(screen.row(2).contains("Could not join room vault: wrong password"), "\(screen)")
        #expect(screen.contains("Not in the room: Could not join"))
        #expect(!screen.contains("Joining..."))
        #expect(!screen.contains("Members 2/"))
    }

    /// A room whose match is running turns a join away; once it is over, r tries the join again and the match follows.
    @Test func afterARefusedJoinRTriesAgain() async throws {
        let client = Fixtures.client()
        let settings = try Fixtures.setup.makeSettings("duel", RoomChoices(mapName: "open", bots: 0, matchSeconds: 10, tickRate: 12))
        let host = client.startBot(plan: BotPlan(name: "host-bot", role: .create(settings: settings, playersToStart: 2), games: 2))
        _ = client.startBot(plan: BotPlan(name: "early", role: .join(room: "duel")), via: host)
        // The two bots start their match at once; joining now is too late.
        await client.advance(milliseconds: 5000)
        client.controller.joinRoom(NetworkJoinChoice(room: "duel", address: "sim:0", password: nil))
        try #require(await client.wait(seconds: 10) { $0.contains("already running") }, "\(client.screen)")
        #expect(client.screen.row(2).contains("Could not join room duel: a game is"), "\(client.screen)")
        // The bots' match ends (the early bot leaves after it); r tries again, ready.
        await client.advance(milliseconds: 15_000)
        await client.press(.char("r"))
        #expect(client.model.room?.chat.lines.last?.text == "Joining room duel at sim:0 again...", "\(client.screen)")
        #expect(client.screen.contains("Joining..."))
        try #require(await client.wait(for: "Members 2/8"), "\(client.screen)")
        #expect(client.screen.contains("r not ready"), "still ready from the r that retried")
        try #require(await client.wait(forScreen: .game, seconds: 15), "the host starts with the player: \(client.screen)")
    }

    /// A player who leaves mid-match is dropped: the game says so and plays on without them.
    @Test func aPlayerWhoLeavesMidMatchIsDroppedAndTheGameGoesOn() async throws {
        let client = Fixtures.client()
        let settings = try Fixtures.setup.makeSettings("trio", RoomChoices(mapName: "open", bots: 0, matchSeconds: 60, tickRate: 12))
        let host = client.startBot(plan: BotPlan(name: "host-bot", role: .create(settings: settings, playersToStart: 3)))
        let early = client.startBot(plan: BotPlan(name: "early", role: .join(room: "trio")), via: host)
        client.controller.joinRoom(NetworkJoinChoice(room: "trio", address: "sim:0", password: nil))
        try #require(await client.wait(for: "Members 3/8"), "\(client.screen)")
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10))
        await client.advance(milliseconds: 2000)
        early.close()
        #expect(await client.wait(seconds: 10) { $0.contains("early left (dropped)") }, "\(client.screen)")
        let tick = try #require(client.model.game?.status.tick.rawValue)
        await client.advance(milliseconds: 2000)
        #expect(client.model.screen == .game)
        #expect(client.model.game!.status.tick.rawValue > tick + 12, "the match goes on")
        let screen = client.screen
        #expect(screen.row(23).contains("| early left"), "the status line says who left, not a ping: \(screen)")
        #expect(screen.row(23).range(of: #"host-bot \d+ms"#, options: .regularExpression) != nil)
    }

    /// The only other player leaves (says goodbye) mid-match: the match ends at once with the
    /// scores so far and says the others left, and the player is back in the room, its host.
    @Test
    func theLastOtherPlayerLeavingEndsTheMatchAsLeftNotAsANetworkLoss() async throws {
        let client = Fixtures.client()
        let settings = try Fixtures.setup.makeSettings("duel", RoomChoices(mapName: "open", bots: 0, matchSeconds: 60, tickRate: 12))
        let host = client.startBot(plan: BotPlan(name: "host-bot", role: .create(settings: settings, playersToStart: 2)))
        client.controller.joinRoom(NetworkJoinChoice(room: "duel", address: "sim:0", password: nil))
        try #require(await client.wait(for: "Members 2/8"), "\(client.screen)")
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10))
        await client.advance(milliseconds: 2000)
        host.close()
        try #require(await client.wait(forScreen: .results, seconds: 20), "\(client.screen)")
        #expect(client.screen.contains("Match over: every other player left"), "\(client.screen)")
        await client.press(.enter)
        #expect(await client.wait(seconds: 5) { $0.contains("Members 1/8") && $0.contains("alice (you) *") }, "\(client.screen)")
    }

    /// q then y in a match: the client quits and the match's recording is closed as it stood, a whole file that verifies.
    @Test(arguments: [[Key.character("q"), Key.character("y")], [Key.control("c")]])
    func quittingMidMatchLeavesAReplayThatVerifies(keys: [Key]) async throws {
        let folder = try Fixtures.temporaryFolder("e")
        let client = Fixtures.client(replays: folder.path)
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 2, matchSeconds: 60, tickRate: 12))
        try #require(await client.wait(for: "Members 3/8"))
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10))
        await client.advance(milliseconds: 3000)
        if keys.count == 2 {
            #expect(await client.press(keys[0]))
            #expect(client.screen.contains("Leave the match and quit? y / n"))
        }
        #expect(!client.controller.handle(keys[keys.count - 1], now: client.now), "the client quits")
        client.controller.shutdown()
        let replay = try #require(folder.replays.first)
        let report = ReplayVerifier.verify(path: replay, catalog: Fixtures.catalog)
        #expect(report.status == .ok, "\(report)")
        #expect(!report.isTruncated, "the recording was finished, not cut off")
        #expect(report.endedEarly == "left the match", "the end record says why: \(report)")
        #expect(report.ticks > 12 && report.ticks < 720, "it ends where the player left: \(report.ticks)")
    }

    /// ? in a match shows the game's own key lines (its GameControls) above the client's; the key that closes it does nothing else.
    @Test func theHelpOverlayShowsTheGamesOwnKeys() async throws {
        let folder = try Fixtures.temporaryFolder("f")
        let client = Fixtures.client(replays: folder.path)
        #expect(await client.press(.char("?")))
        #expect(client.screen.contains("Steer      arrows, WASD, hjkl (the heading holds)"), "the lobby's help: \(client.screen)")
        await client.press(.char("x"))
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 1, matchSeconds: 10, tickRate: 12))
        try #require(await client.wait(for: "Members 2/8"))
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10))
        await client.press(.char("?"))
        let help = client.screen
        #expect(help.contains("Help"))
        let lines = SnakeRules.controls.helpLines
        for line in lines { #expect(help.contains(line.keys) && help.contains(line.action), "\(line): \(help)") }
        let gameRow = try #require(help.find(lines[0].action)).y
        let enterRow = try #require(help.find("open the chat line")).y
        #expect(gameRow < enterRow, "the game's keys come first")
        #expect(help.contains("any key closes"))
        await client.press(.char("a"))
        #expect(!client.screen.contains("any key closes"))
        await client.press(.char("?"))
        await client.press(.escape)
        #expect(client.model.game?.confirmingQuit == false, "Esc only closed the help")
        client.controller.shutdown()
        let replay = try #require(folder.replays.first)
        let file = try ReplayFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: replay))))
        #expect(file.inputChanges.filter { $0.slot == PlayerSlot(0) }.isEmpty, "the keys that closed the help steered nothing")
    }

    /// A local room whose nodes cannot start on the client's network plays on the fallback network, and the room says why.
    @Test func aLocalRoomThatCannotStartMovesToTheFallbackNetwork() async throws {
        let fallback = SimulatedNetplay(catalog: Fixtures.catalog, seed: 11)
        let client = Fixtures.client(service: { _ in NoSockets(failingPlayer: true) }, fallback: fallback)
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 2, matchSeconds: 10, tickRate: 12))
        try #require(await client.wait(for: "Members 3/8"), "\(client.screen)")
        #expect(client.screen.contains("Bot peers could not start on"), "\(client.screen)")
        #expect(client.screen.contains("loopback (cannot listen on UDP"))
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .game, seconds: 10), "\(client.screen)")
        try #require(await client.wait(forScreen: .results, seconds: 30))
    }

    /// The same when only the bots' nodes cannot start: the room does not wait for them for ever.
    @Test func botsThatCannotStartMoveTheRoomToTheFallbackNetwork() async throws {
        let fallback = SimulatedNetplay(catalog: Fixtures.catalog, seed: 11)
        let client = Fixtures.client(service: { NoSockets(failingPlayer: false, players: $0) }, fallback: fallback)
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 2, matchSeconds: 10, tickRate: 12))
        try #require(await client.wait(for: "Members 3/8"), "\(client.screen)")
        #expect(client.screen.contains("Bot peers could not start on"), "\(client.screen)")
        #expect(!client.screen.contains("joining..."))
    }

    /// Without a fallback, a room that cannot start says why instead of "Starting the room..." for ever.
    @Test func aLocalRoomThatCannotStartSaysWhy() async throws {
        let client = Fixtures.client(service: { _ in NoSockets(failingPlayer: true) })
        client.controller.createRoom(Self.shortMatch)
        #expect(await client.wait(seconds: 2) { $0.row(2).contains("cannot listen on UDP") }, "\(client.screen)")
        #expect(!client.screen.contains("Starting the room..."))
    }

    /// Settings the game cannot play (a map too big for a room to carry) are refused before any node starts.
    @Test func aRoomTheGameCannotSetUpSaysWhy() async throws {
        let folder = try Fixtures.temporaryFolder("big")
        // Striped floor and wall: one encoded run per cell, far over a room's 2048 bytes.
        let row = String(repeating: ".#", count: 38)
        let mapPath = folder.path + "/striped.map"
        try (["v#v#" + String(row.dropFirst(4))] + Array(repeating: row, count: 39)).joined(separator: "\n")
            .write(toFile: mapPath, atomically: true, encoding: .utf8)
        let client = Fixtures.client()
        client.controller.createRoom(RoomChoices(mapName: mapPath, bots: 1, matchSeconds: 10, tickRate: 12))
        await client.advance(milliseconds: 100)
        let screen = client.screen
        #expect(screen.row(2).contains("Could not create the room"), "\(screen)")
        #expect(screen.contains("configuration; a room carries at"))
        #expect(!screen.contains("Members 1/"), "no room came up")
    }
}

/// A network whose nodes cannot start (no sockets): every player's node fails, or only the
/// bots' while players run on `players`.
final class NoSockets: NetplayService {
    let failingPlayer: Bool
    let players: SimulatedNetplay?

    init(failingPlayer: Bool, players: SimulatedNetplay? = nil) {
        self.failingPlayer = failingPlayer
        self.players = players
    }

    func startPlayer(_ request: PlayerNodeRequest) -> any NodeHandle {
        if !failingPlayer, let players { return players.startPlayer(request) }
        return FailedNode(reason: "cannot listen on UDP 127.0.0.1:0: address not available")
    }

    func startBot(name: String, skill: BotSkill, seed: UInt64, joining room: String, hostedBy host: any NodeHandle) -> any NodeHandle {
        FailedNode(reason: "cannot listen on UDP 127.0.0.1:0: address not available")
    }

    func findRooms(_ places: RoomPlaces) -> any RoomSearch { NoRooms() }
}

/// A node that never came up.
final class FailedNode: NodeHandle {
    let reason: String
    init(reason: String) { self.reason = reason }
    var peerID: PeerID? { nil }
    func send(_ command: NodeCommand) {}
    func poll(now: Timestamp) -> NodePoll { NodePoll(snapshot: nil, events: [], failure: reason) }
    func close() {}
    func closeAndWait(timeout: Duration) {}
}

/// A search that finds nothing.
final class NoRooms: RoomSearch {
    var directory: RoomDirectory { RoomDirectory() }
    var roundsCompleted: Int { 0 }
    func stop() {}
}
