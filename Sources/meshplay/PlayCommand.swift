import ArgumentParser
import Foundation
import MeshplayCore
import Snake
import TerminalUI

/// `meshplay play`: the terminal client. Parsing only; the client is `TerminalUI.PlayClient`.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play in the terminal: lobby, rooms, chat, and matches against bots.",
        discussion: """
        With no options it opens the lobby. --bots N opens a local room with N bots:
        press r (ready) and the match starts. Matches are recorded to the replays folder.
        The networking options are accepted but not used yet: the mesh is not in this build.

        Examples:
          meshplay play --bots 3
          meshplay play --bots 7 --map arena16 --tick-rate 15 --log-file /tmp/meshplay.log
        """
    )

    @Option(help: "Your player name.")
    var name: String = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "player"

    @Option(help: "UDP port to listen on (not used yet).")
    var port: Int?

    @Option(name: .customLong("peer"), help: "A peer to contact, HOST:PORT; repeatable (not used yet).")
    var peers: [String] = []

    @Option(help: "A rendezvous resolver, HOST:PORT (not used yet).")
    var resolver: String?

    @Option(help: "The mesh password (not used yet).")
    var password: String?

    @Option(help: "Open a local room with this many bots at once.")
    var bots: Int?

    @Option(help: "A built-in map name (\(SnakeMap.builtinNames.joined(separator: ", "))) or a map file path.")
    var map: String = "open"

    @Option(help: "Ticks per second.")
    var tickRate: Int = RoomSettings.defaultTickRate

    @Option(help: "Match length in seconds.")
    var matchSeconds: Int = 120

    @Option(help: "Bot skill: random, easy, normal or hard.")
    var skill: BotSkillArgument = .normal

    @Option(help: "Folder for replays (default ~/.local/share/meshplay/replays).")
    var replays: String?

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    @Flag(help: "No colours (also set by the NO_COLOR environment variable).")
    var noColor = false

    @Option(help: "Append a log to this file (nothing is printed while the client runs).")
    var logFile: String?

    func validate() throws {
        let seats: Int
        do {
            let snakeMap = try SnakeMap.load(nameOrPath: map)
            seats = min(snakeMap.spawns.count, SnakeRules.playerLimit)
        } catch {
            throw ValidationError(error.description)
        }
        if let bots, !(0 ..< seats).contains(bots) {
            throw ValidationError("--bots must be 0-\(seats - 1) on map \(map), got \(bots)")
        }
        guard (1 ... 60).contains(tickRate) else { throw ValidationError("--tick-rate must be 1-60, got \(tickRate)") }
        guard (10 ... 3600).contains(matchSeconds) else { throw ValidationError("--match-seconds must be 10-3600, got \(matchSeconds)") }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let options = PlayOptions(
            name: name, port: port, peers: peers, resolver: resolver, password: password, bots: bots,
            mapName: map, tickRate: tickRate, matchSeconds: matchSeconds, botSkill: skill.skill,
            replaysDirectory: replays,
            terminal: TerminalOptions(asciiOnly: ascii, monochrome: noColor || TerminalOptions.monochromeRequested(environment: environment)),
            logPath: logFile)
        try TerminalExitStatus.finish(PlayClient.play(options, setup: .snake, environment: environment))
    }
}

/// Maps how the client ended to the process's exit status.
enum TerminalExitStatus {
    static func finish(_ exit: TerminalExit) throws {
        if case .signal(let number) = exit { throw ExitCode(128 + number) }
    }
}
