import ArgumentParser
import Bots
import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import Replay

/// `meshplay watch`: follow a running match from the command line, a delay behind its players.
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch a room's running match: fed its history by its host, checked, recorded, a delay behind the players.",
        discussion: """
            The host sends the match so far and then each tick as it is played. Everything it sends is
            checked: the replay's record chain, every checkpoint against the re-simulation, and every
            player's signed checkpoint (attestation) against the key whose digest is that seat's id. A
            feed that does not hold is dropped and another player asked. A room takes at most 32
            spectators, each player feeding its share; a locked room cannot be watched.

            Exit status: 0 when the match was watched to its end; 1 when the feed did not hold; 2 when
            no running room of that name was found; 64 on bad arguments.

            Examples:
              meshplay watch --resolver 203.0.113.1:47000 --room duo
              meshplay watch --peer 127.0.0.1:47100 --room 'duo#k3f9a2xq' --delay 5 --record replays
            """
    )

    @OptionGroup var find: MeshFindOptions
    @Option(help: "The running room to watch (NAME, or NAME#ID as the lobby shows it).")
    var room: String
    @Option(parsing: .unconditional, help: "Seconds behind the players (0-60).")
    var delay = 2
    @Option(help: "Record what is watched into this directory (a replay that verifies).")
    var record: String?
    @Option(parsing: .unconditional, help: "Seconds to look for the room before giving up.")
    var joinTimeout = 30
    @Flag(help: "Print one JSON object at the end.")
    var json = false

    func validate() throws {
        guard (0...60).contains(delay) else { throw ValidationError("--delay must be 0-60 seconds, got \(delay)") }
        guard joinTimeout >= 1 else { throw ValidationError("--join-timeout must be at least 1, got \(joinTimeout)") }
    }

    func run() async throws {
        if let record { try FileManager.default.createDirectory(atPath: record, withIntermediateDirectories: true) }
        var find = self.find
        if find.peers.isEmpty, find.resolvers.isEmpty { find.lan = true }
        let (room, delay, record, timeout) = (self.room, self.delay, self.record, joinTimeout)
        let run = BotRun(count: 1, bindHost: "0.0.0.0", firstPort: 0, find: find) { _ in
            var plan = BotPlan(
                name: "watcher", role: .watch(room: room, delay: .seconds(Int64(delay))), password: nil, games: 1,
                recordDirectory: record, chats: false, skill: .normal, seed: 1, joinTimeout: .seconds(Int64(timeout)))
            plan.linger = .zero
            return plan
        }
        let reports = try await run.play(announceAs: nil)
        ReplayWriteQueue.shared.drain(timeout: .seconds(10))
        guard let report = reports.first else { throw ExitCode(2) }
        if case .failed(let failure) = report.status {
            FileHandle.standardError.write(Data("meshplay watch: \(failure)\n".utf8))
            if case .couldNotJoin = failure { throw ExitCode(2) }
            throw ExitCode(1)
        }
        guard let watched = report.watched else {
            FileHandle.standardError.write(Data("meshplay watch: the match was not watched to its end\n".utf8))
            throw ExitCode(1)
        }
        if json {
            var object = JSONText()
            object.field("room", string: room)
            object.field("ticks", int: Int(watched.tick.rawValue))
            object.field("finalChecksum", string: watched.checksum?.description)
            object.field("replays", JSONText.array(watched.replayPath.map { [JSONText.quoted($0)] } ?? []))
            print(object.object)
        } else {
            print("watched room \(ChatText.sanitize(room)) to tick \(watched.tick), checksum \(watched.checksum.map(\.description) ?? "-")"
                  + (watched.replayPath.map { ", replay \($0)" } ?? ""))
        }
    }
}
