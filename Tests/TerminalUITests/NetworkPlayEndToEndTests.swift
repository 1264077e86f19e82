import Foundation
import MeshplayTestSupport
import Replay
import Testing

/// A human in tmux joins a room of `meshplay bot` over loopback UDP, gets ready with one
/// key, plays the networked match a little, and quits.
@Suite(.serialized) struct NetworkPlayEndToEndTests {
    @Test(.enabled(if: TmuxEndToEndTests.tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"))
    func joinABotRoomPlayAndQuit() async throws {
        try await OffThePool.wait {
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("net-e2e-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let replays = directory.appendingPathComponent("replays").path
            let log = directory.appendingPathComponent("client.log").path

            let (bot, errors) = try Self.hostRoom(["--create", "duo", "--players", "2", "--ticks", "400"], in: directory)
            defer { bot.kill() }
            let port = try #require(Self.listeningPort(in: errors), "the bot says where it listens")

            let tmux = try Tmux(executable: TmuxEndToEndTests.tmuxPath!)
            defer { tmux.kill() }
            tmux.type("clear; \(MeshplayBinary.path) play --peer 127.0.0.1:\(port) --room duo --name tess --replays \(replays) --log-file \(log)")
            tmux.keys("Enter")
            try tmux.waitFor(where: { $0.contains("In the room.") && $0.contains("bot-1 *") }, what: "the room joined, its host listed")
            tmux.keys("r")
            try tmux.waitFor(where: { $0.contains("Scores") && $0.contains("tess") && $0.contains("bot-1") }, what: "the networked game with both players",
                             seconds: 30)
            try tmux.waitFor(where: { $0.range(of: #"bot-1 \d+ms"#, options: .regularExpression) != nil }, what: "the peer's ping on the status line")
            let before = tmux.capture()
            tmux.keys("Up")
            tmux.keys("a")
            try tmux.waitFor(where: { $0.contains("tick") && $0 != before }, what: "the match advancing")
            tmux.keys("Enter")
            tmux.type("hi over udp")
            tmux.keys("Enter")
            try tmux.waitFor("tess: hi over udp", what: "the chat line back through the lockstep chat")
            tmux.keys("q")
            try tmux.waitFor("Leave the match and quit? y / n", what: "the quit question")
            tmux.keys("y")
            try tmux.waitFor("PROMPT$", what: "the shell prompt back", last: true)

            // The bot plays on alone once the human has gone, to its tick limit, and exits cleanly.
            let status = bot.wait(timeout: 90)
            #expect(status == .exited(0), "the bot ends cleanly after its match (\(status.map { "\($0)" } ?? "still running")):\n\(bot.standardError)")
            let clientLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(clientLog.contains("match started: snake"), "the client log says the match started:\n\(clientLog)")
        }
    }

    /// The whole match over the network: results, the replay recorded and verifiable, the bot done.
    @Test(.enabled(if: TmuxEndToEndTests.tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"))
    func playANetworkedMatchToTheEnd() async throws {
        try await OffThePool.wait {
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("net-e2e-end-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let replays = directory.appendingPathComponent("replays").path

            let (bot, errors) = try Self.hostRoom(["--create", "short", "--players", "2", "--ticks", "100", "--tick-rate", "20"], in: directory)
            defer { bot.kill() }
            let port = try #require(Self.listeningPort(in: errors), "the bot says where it listens")

            let tmux = try Tmux(executable: TmuxEndToEndTests.tmuxPath!)
            defer { tmux.kill() }
            tmux.type("clear; \(MeshplayBinary.path) play --peer 127.0.0.1:\(port) --room short --name tess --replays \(replays)")
            tmux.keys("Enter")
            try tmux.waitFor("In the room.", what: "the room joined")
            tmux.keys("r")
            try tmux.waitFor("Scores", what: "the networked game", seconds: 30)
            try tmux.waitFor("Match over", what: "the results screen", seconds: 40)
            try tmux.waitFor("Replay saved to", what: "where the replay went")
            tmux.keys("q")
            try tmux.waitFor("PROMPT$", what: "the shell prompt back", last: true)

            let status = bot.wait(timeout: 30)
            #expect(status == .exited(0), "the bot finishes cleanly (\(status.map { "\($0)" } ?? "still running")):\n\(bot.standardError)")
            let recorded = ((try? FileManager.default.contentsOfDirectory(atPath: replays)) ?? []).filter { $0.hasSuffix(".mpr") }
            let replay = try #require(recorded.first, "a replay was recorded in \(replays)")
            let verify = try MeshplayBinary.run(["verify", "\(replays)/\(replay)"])
            #expect(verify.exitCode == 0, "the human's replay verifies: \(verify.standardOutput)")
        }
    }

    /// Two games in a row in a bot-hosted room over real UDP: after the first, the room shows
    /// the real ready states and one r starts the second; after the second the bots leave,
    /// the room says so, hands the host role over, and says what it is waiting for.
    @Test(.enabled(if: TmuxEndToEndTests.tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"))
    func twoGamesInARowThenTheRoomAfterTheBotsLeave() async throws {
        try await OffThePool.wait {
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("net-e2e-two-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let replays = directory.appendingPathComponent("replays").path

            let (bot, errors) = try Self.hostRoom(
                ["--count", "2", "--create", "duo", "--players", "3", "--games", "2", "--ticks", "100", "--tick-rate", "20"], in: directory)
            defer { bot.kill() }
            let port = try #require(Self.listeningPort(in: errors), "the bot says where it listens")

            let tmux = try Tmux(executable: TmuxEndToEndTests.tmuxPath!)
            defer { tmux.kill() }
            tmux.type("clear; \(MeshplayBinary.path) play --peer 127.0.0.1:\(port) --room duo --name tess --replays \(replays)")
            tmux.keys("Enter")
            try tmux.waitFor(where: { $0.contains("Press r when you are ready.") && $0.contains("bot-2") }, what: "the room, saying what it waits for")
            tmux.keys("r")
            try tmux.waitFor("Scores", what: "game 1", seconds: 30)
            try tmux.waitFor("Match over", what: "the results of game 1", seconds: 40)
            tmux.keys("Enter")
            try tmux.waitFor(where: { $0.contains("Members 3/3") && $0.contains("tess (you)            not ready") && $0.contains("Press r when you are ready.") },
                             what: "back in the room: the bots' own ready states, ours cleared")
            tmux.keys("r")
            try tmux.waitFor("Scores", what: "game 2, after one r", seconds: 30)
            try tmux.waitFor("Match over", what: "the results of game 2", seconds: 40)
            tmux.keys("Enter")
            try tmux.waitFor(where: { $0.contains("bot-1 left the room.") && $0.contains("bot-2 left the room.") && $0.contains("Members 1/3") },
                             what: "the bots gone from the members, with a chat line each", seconds: 30)
            let room = tmux.capture()
            #expect(room.contains("You host the room now."), "\(room)")
            #expect(!room.contains("bot-1 *") && !room.contains("bot-2   "), "\(room)")
            tmux.keys("r")
            try tmux.waitFor("Waiting for another player to join.", what: "what the room waits for now")
            tmux.keys("q")
            try tmux.waitFor("PROMPT$", what: "the shell prompt back", last: true)

            let status = bot.wait(timeout: 30)
            #expect(status == .exited(0), "the bots finish both games cleanly (\(status.map { "\($0)" } ?? "still running")):\n\(bot.standardError)")
            let recorded = ((try? FileManager.default.contentsOfDirectory(atPath: replays)) ?? []).filter { $0.hasSuffix(".mpr") }.sorted()
            #expect(recorded.count == 2, "one replay per game: \(recorded)")
            for replay in recorded {
                let verify = try MeshplayBinary.run(["verify", "\(replays)/\(replay)"])
                #expect(verify.exitCode == 0, "\(verify.standardOutput)")
            }
        }
    }

    /// The only other player's process dies mid-game: after the link timeout the match ends
    /// with the scores so far and says the network is lost, and q leaves a sane shell.
    @Test(.enabled(if: TmuxEndToEndTests.tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"))
    func losingEveryoneEndsTheMatchWithAReason() async throws {
        try await OffThePool.wait {
            let directory = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("net-e2e-lost-\(getpid())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let (bot, errors) = try Self.hostRoom(["--create", "fragile", "--players", "2", "--ticks", "6000", "--tick-rate", "20"], in: directory)
            defer { bot.kill() }
            let port = try #require(Self.listeningPort(in: errors), "the bot says where it listens")

            let tmux = try Tmux(executable: TmuxEndToEndTests.tmuxPath!)
            defer { tmux.kill() }
            tmux.type("clear; \(MeshplayBinary.path) play --peer 127.0.0.1:\(port) --room fragile --name tess --replays \(directory.path)")
            tmux.keys("Enter")
            try tmux.waitFor("In the room.", what: "the room joined")
            tmux.keys("r")
            try tmux.waitFor("Scores", what: "the networked game", seconds: 30)
            bot.kill()
            try tmux.waitFor("Match over: network lost", what: "the match ending on the lost network", seconds: 30)
            tmux.keys("q")
            try tmux.waitFor("PROMPT$", what: "the shell prompt back", last: true)
            // The replay the results screen announced is whole and says why it stopped.
            let replay = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path).first { $0.hasSuffix(".mpr") && $0.contains("tess") })
            let report = ReplayVerifier.verify(path: directory.appendingPathComponent(replay).path, catalog: Fixtures.catalog)
            #expect(report.status == .ok, "\(report)")
            #expect(report.endedEarly?.hasPrefix("network lost") == true, "\(report)")
        }
    }

    /// `--room` with only `--resolver`: the client finds the mesh at the rendezvous node and
    /// opens the room, its host listed; Esc leaves it for the lobby and q quits.
    @Test(.enabled(if: TmuxEndToEndTests.tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"))
    func openARoomFoundThroughAResolver() async throws {
        try await OffThePool.wait {
            let directory = try TemporaryDirectory(prefix: "net-e2e-resolver")
            let resolver = try ChildProcess(MeshplayBinary.path, ["resolver", "--host", "127.0.0.1", "--port", "0"],
                                            standardOutput: directory.path("resolver.out"), standardError: directory.path("resolver.err"))
            defer { resolver.kill() }
            let resolverPort = try #require(MeshplayBinary.listeningPort(in: directory.path("resolver.out")), "the resolver says where it listens")
            let bot = try ChildProcess(MeshplayBinary.path, ["bot", "--create", "faraway", "--players", "2", "--port", "0",
                                                             "--resolver", "127.0.0.1:\(resolverPort)"],
                                       standardOutput: "/dev/null", standardError: directory.path("bot.err"))
            defer { bot.kill() }
            _ = try #require(MeshplayBinary.listeningPort(in: directory.path("bot.err")), "the bot says where it listens")

            let tmux = try Tmux(executable: TmuxEndToEndTests.tmuxPath!)
            defer { tmux.kill() }
            tmux.type("clear; \(MeshplayBinary.path) play --resolver 127.0.0.1:\(resolverPort) --room faraway --name tess --replays \(directory.path("replays"))")
            tmux.keys("Enter")
            try tmux.waitFor(where: { $0.contains("In the room.") && $0.contains("bot-1 *") }, what: "the room found through the resolver", seconds: 30)
            tmux.keys("Escape")
            try tmux.waitFor("c create", what: "the lobby")
            tmux.keys("q")
            try tmux.waitFor("PROMPT$", what: "the shell prompt back", last: true)
        }
    }

    /// Starts `meshplay bot` hosting a room; its standard error (where it says its port) goes to a file.
    static func hostRoom(_ arguments: [String], in directory: URL) throws -> (ChildProcess, URL) {
        let errors = directory.appendingPathComponent("bot.err")
        let bot = try ChildProcess(
            MeshplayBinary.path, ["bot"] + arguments + ["--port", "0"],
            standardOutput: "/dev/null", standardError: errors.path)
        return (bot, errors)
    }

    static func listeningPort(in file: URL, timeout: Double = 60) -> Int? {
        MeshplayBinary.listeningPort(in: file.path, timeout: timeout)
    }
}
