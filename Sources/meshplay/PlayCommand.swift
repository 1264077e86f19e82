import ArgumentParser
import Foundation
import MeshTransport
import MeshplayCore
import NetplayNIO
import Replay
import Simulation
import Snake
import Blast
import TerminalUI

/// `meshplay play`: the terminal client. Parsing only; the client is `TerminalUI.PlayClient`.
struct PlayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play in the terminal: lobby, rooms, chat, and matches against bots.",
        discussion: """
        With no options it opens the lobby, which lists the rooms announced on the LAN \
        (e.g. by meshplay bot --create ROOM) and those at --resolver and --peer addresses. \
        Enter on one joins it (its members, settings and chat show), r says ready, and the \
        host starts the match when everyone is.

        --bots N opens a local room with N bots (real bot peers on loopback UDP in this \
        process): press r (ready) and the match starts. --room ROOM opens that room \
        directly, found through --peer, else --resolver and the LAN. Matches are recorded \
        to the replays folder.

        Examples:
          meshplay play --bots 3
          meshplay play --game blast --bots 3
          meshplay play --bots 7 --map arena16 --log-file /tmp/meshplay.log
          meshplay play --peer 127.0.0.1:4000 --room duo --name tess
          meshplay play --resolver 10.0.0.5:47000 --room arena
        """
    )

    @Option(help: "Your player name.")
    var name: String = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "player"

    // Numbers parse `.unconditional`ly: in `--ticks -5` the "-5" is the value, refused with the
    // option's range by validate(), where ArgumentParser would take it for an option ("Missing value").
    @Option(parsing: .unconditional, help: "UDP port to listen on with --room (default: any).")
    var port: Int?

    @Option(name: .customLong("peer"), help: "A mesh member to list in the lobby and join through, HOST:PORT; repeatable.")
    var peers: [String] = []

    @Option(name: .customLong("resolver"), help: "A rendezvous node (meshplay resolver) whose rooms the lobby lists, HOST:PORT; repeatable (each is asked, and any one that answers is enough).")
    var resolvers: [String] = []

    @Option(help: "The room password (otherwise the client asks when joining a locked room).")
    var password: String?

    @Option(help: "Open this networked room at once (e.g. one made with meshplay bot --create ROOM), found through --peer, else --resolver and the LAN; NAME#ID (or #ID) picks exactly the room with that id when two share a name.")
    var room: String?

    @Option(parsing: .unconditional, help: "Open a local room with this many bots at once.")
    var bots: Int?

    @Option(help: "The game of the rooms you create (\(GameOffer.builtin.map(\.name).joined(separator: " or "))); the create form offers every game.")
    var game: GameArgument = .standard

    @Option(help: "A built-in map name (snake: \(SnakeRules.offer.builtinMaps.joined(separator: ", ")); blast: \(BlastRules.offer.builtinMaps.joined(separator: ", "))) or a map file path; default: the game's default map, or one that seats --bots and you.")
    var map: String?

    @Option(parsing: .unconditional, help: "Ticks per second (default: the game's own, 12 for snake, 30 for blast).")
    var tickRate: Int?

    @Option(parsing: .unconditional, help: "Match length in seconds.")
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

    /// The map rooms are created on: `--map`, else one that seats the bots and the player.
    func chosenMap() throws -> (name: String, seats: Int) {
        let offer = game.offer
        let players = max(1, (bots ?? 0) + 1)
        let ticks = offer.matchTicks.lowerBound
        do {
            if let map { return (map, try offer.prepare(map, ticks).seats) }
            let preferred = try offer.prepare(offer.defaultMap, ticks)
            if preferred.seats >= players { return (offer.defaultMap, preferred.seats) }
            guard let bigger = offer.mapSeating(players) else {
                throw GameSetupError("no \(offer.name) map seats \(players) players (at most \(offer.playerLimit))")
            }
            return (bigger, try offer.prepare(bigger, ticks).seats)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func validate() throws {
        let (mapName, seats) = try chosenMap()
        if let bots, !(0 ..< seats).contains(bots) {
            throw ValidationError("--bots must be 0-\(seats - 1) on map \(mapName), got \(bots)")
        }
        for peer in peers where (try? HostPort(parsing: peer)) == nil {
            throw ValidationError("--peer must be HOST:PORT (IPv6 as [::1]:PORT), got '\(peer)'")
        }
        for resolver in resolvers where (try? HostPort(parsing: resolver)) == nil {
            throw ValidationError("--resolver must be HOST:PORT (IPv6 as [::1]:PORT), got '\(resolver)'")
        }
        if room != nil, bots != nil { throw ValidationError("--room and --bots cannot be used together") }
        if let port, !(0 ... 65535).contains(port) { throw ValidationError("--port must be 0-65535, got \(port)") }
        if let tickRate, !(1 ... 60).contains(tickRate) { throw ValidationError("--tick-rate must be 1-60, got \(tickRate)") }
        guard (10 ... 3600).contains(matchSeconds) else { throw ValidationError("--match-seconds must be 10-3600, got \(matchSeconds)") }
    }

    func run() throws {
        // However the client ends (q, a signal, an error), every replay reaches the disk first.
        defer { ReplayWriteQueue.shared.drain(timeout: .seconds(5)) }
        let environment = ProcessInfo.processInfo.environment
        let options = PlayOptions(
            name: name, port: port, peers: peers, resolvers: resolvers, password: password, bots: bots,
            mapName: try chosenMap().name, tickRate: tickRate ?? game.offer.defaultTickRate, matchSeconds: matchSeconds, botSkill: skill.skill,
            replaysDirectory: replays,
            terminal: TerminalOptions(asciiOnly: ascii, monochrome: noColor || TerminalOptions.monochromeRequested(environment: environment)),
            logPath: logFile, room: room, game: game.offer.name)
        let exit = try PlayClient.play(options, setup: .builtin, environment: environment) { log in
            PlayNetworks(
                service: UDPNetplay(catalog: .builtin, log: { log.log($0) }),
                // A local room whose bots cannot start on loopback plays over the in-process network, in real time.
                fallback: SimulatedNetplay(catalog: .builtin, seed: UInt64.random(in: 1 ... .max)))
        }
        try TerminalExitStatus.finish(exit)
    }
}

/// Maps how the client ended to the process's exit status.
enum TerminalExitStatus {
    static func finish(_ exit: TerminalExit) throws {
        if case .signal(let number) = exit { throw ExitCode(128 + number) }
    }
}
