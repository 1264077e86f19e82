import Foundation
import MeshplayTestSupport
import Testing

/// Issue 15 over real UDP: a bot killed with SIGKILL mid-match comes back with `--rejoin`,
/// and `meshplay watch` follows a match to its end.
@Suite("rejoining and watching across processes", .serialized)
struct RejoinAndWatchTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("meshplay-rejoin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Two processes and a third killed with -9 and restarted with `--rejoin`: all three finish
    /// the match, agree on its final checksum, and every replay (the restarted bot's whole from
    /// tick 0, over the killed one's file) verifies.
    @Test func aBotKilledMidMatchTakesItsSeatAgainAndAllThreeAgree() async throws {
        let bots = BotProcesses(directory: directory)
        defer { bots.stopAll() }
        let record = directory.appendingPathComponent("replays").path
        let key = directory.appendingPathComponent("three.key").path
        try bots.launch("creator", ["bot", "--create", "trio", "--players", "3", "--ticks", "900", "--tick-rate", "20", "--name", "host",
                                    "--record", record, "--json"])
        let port = try #require(try bots.listeningPort(of: "creator"), "creator never said its port: \(bots.errors("creator"))")
        let peer = ["--peer", "127.0.0.1:\(port)"]
        try bots.launch("two", ["bot", "--room", "trio", "--name", "two", "--record", record, "--json"] + peer)
        let doomed = try bots.launch("three", ["bot", "--room", "trio", "--name", "three", "--record", record, "--identity", key] + peer)
        #expect(try await Self.waitFor("three-1: game 1 started", in: { bots.errors("three") }, timeout: 90), "\(bots.errors("three"))")
        try await Task.sleep(for: .seconds(2))
        doomed.kill()
        #expect(try await Self.waitFor("three-1 dropped", in: { bots.errors("creator") }, timeout: 60), "\(bots.errors("creator"))")
        try bots.launch("back", ["bot", "--room", "trio", "--name", "three", "--record", record, "--identity", key, "--rejoin", "--json"] + peer)
        let statuses = try await bots.waitAllAsync(timeout: 150)
        var checksums: [String] = []
        for name in ["creator", "two", "back"] {
            #expect(statuses[name] == 0, "\(name) exited \(statuses[name] ?? -1): \(bots.output(name)) \(bots.errors(name))")
            let summary = try #require(
                try JSONSerialization.jsonObject(with: Data(bots.output(name).utf8)) as? [String: Any], "\(name): \(bots.output(name))")
            let game = try #require((summary["games"] as? [[String: Any]])?.first, "\(name): \(bots.output(name))")
            #expect(game["ticks"] as? Int == 900)
            checksums.append(try #require(game["finalChecksum"] as? String, "\(name) has no agreed checksum"))
        }
        #expect(Set(checksums).count == 1, "final checksums differ: \(checksums)")
        #expect(bots.errors("creator").contains("three-1 rejoined"), "\(bots.errors("creator"))")
        #expect(bots.errors("back").contains("three-1: back in its seat of game 1 from tick"), "\(bots.errors("back"))")
        let replays = try FileManager.default.contentsOfDirectory(atPath: record).filter { $0.hasSuffix(".mpr") }.map { "\(record)/\($0)" }
        #expect(replays.count == 3, "\(replays)")
        let verified = try await MeshplayBinary.runAsync(["verify"] + replays)
        #expect(verified.exitCode == 0, "\(verified.standardOutput) \(verified.standardError)")
    }

    /// `meshplay watch` is fed a running match by its host, shows it to its end and records a
    /// replay that verifies, with the players' final checksum.
    @Test func watchFollowsARunningMatchToItsEndAndItsReplayVerifies() async throws {
        let bots = BotProcesses(directory: directory)
        defer { bots.stopAll() }
        let record = directory.appendingPathComponent("watched").path
        try bots.launch("players", ["bot", "--create", "duo", "--count", "2", "--ticks", "400", "--tick-rate", "20", "--json"])
        let port = try #require(try bots.listeningPort(of: "players"), "no port: \(bots.errors("players"))")
        #expect(try await Self.waitFor("game 1 started", in: { bots.errors("players") }, timeout: 60), "\(bots.errors("players"))")
        try bots.launch("watcher", ["watch", "--peer", "127.0.0.1:\(port)", "--room", "duo", "--delay", "1", "--record", record, "--json"])
        let statuses = try await bots.waitAllAsync(timeout: 120)
        #expect(statuses["players"] == 0, "\(bots.errors("players"))")
        #expect(statuses["watcher"] == 0, "\(bots.output("watcher")) \(bots.errors("watcher"))")
        let players = try #require(try JSONSerialization.jsonObject(with: Data(bots.output("players").utf8)) as? [String: Any])
        let game = try #require((players["games"] as? [[String: Any]])?.first)
        let watched = try #require(try JSONSerialization.jsonObject(with: Data(bots.output("watcher").utf8)) as? [String: Any])
        #expect(watched["ticks"] as? Int == 400)
        #expect(watched["finalChecksum"] as? String == game["finalChecksum"] as? String)
        let replays = try #require(watched["replays"] as? [String])
        #expect(replays.count == 1 && replays[0].contains("-watch-"), "\(replays)")
        let verified = try await MeshplayBinary.runAsync(["verify"] + replays)
        #expect(verified.exitCode == 0, "\(verified.standardOutput) \(verified.standardError)")
    }

    @Test func watchingARoomThatIsNotThereExitsTwoAndSaysSo() async throws {
        let result = try await MeshplayBinary.runAsync(["watch", "--peer", "127.0.0.1:9", "--room", "nothere", "--join-timeout", "1"])
        #expect(result.exitCode == 2, "\(result.standardError)")
        #expect(result.standardError.contains("nothere"), "\(result.standardError)")
    }

    @Test(arguments: [
        ["bot", "--room", "trio", "--rejoin"],
        ["bot", "--create", "trio", "--count", "2", "--identity", "k"],
        ["watch", "--room", "x", "--delay", "61"],
    ])
    func badRejoinAndWatchArgumentsAreUsageErrors(arguments: [String]) throws {
        let result = try MeshplayBinary.run(arguments)
        #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
    }

    /// Polls `text()` until it contains `needle` (up to `timeout` seconds), sleeping as a task:
    /// these tests wait for minutes and must not hold a thread of the cooperative pool.
    static func waitFor(_ needle: String, in text: () -> String, timeout: Double) async throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if text().contains(needle) { return true }
            try await Task.sleep(for: .milliseconds(200))
        }
        return false
    }
}
