import ArgumentParser
import Bots
import Foundation
import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import Replay
import Snake

/// `meshplay bot`: headless bot players over real UDP, each with its own socket and identity.
struct BotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Run headless bot players: create or join a room, play games, record replays.",
        discussion: """
            Exit status: 0 when every game finished in agreement; 1 on a desync or a failed game; \
            2 when the bots could not join (wrong password, room full, room not found, two rooms of that name: pick one with --room NAME#ID); 64 on bad arguments.
            """
    )

    // Numbers parse `.unconditional`ly: in `--ticks -5` the "-5" is the value, refused with the
    // option's range by validate(), where ArgumentParser would take it for an option ("Missing value").
    @Option(parsing: .unconditional, help: "Bot peers in this process.")
    var count = 1
    @Option(help: "Player name prefix (bots are PREFIX-1, PREFIX-2, …).")
    var name = "bot"
    @Option(parsing: .unconditional, help: "UDP port of the first bot (0 picks one; the others always pick their own).")
    var port = 0
    @Option(help: "Address the bots bind to.")
    var bind = "127.0.0.1"
    @OptionGroup var find: MeshFindOptions
    @Option(help: "The room password.")
    var password: String?
    @Option(help: "Create and host a room with this name.")
    var create: String?
    @Option(parsing: .unconditional, help: "With --create: the room starts when this many players are in it (default: --count).")
    var players: Int?
    @Option(help: "With --create: the game (\(GameOffer.builtin.map(\.name).joined(separator: " or "))).")
    var game: GameArgument = .standard
    @Option(help: "With --create: a built-in map name or a map file path (default: the game's default, or a map that seats --players).")
    var map: String?
    @Option(parsing: .unconditional, help: "With --create: simulation ticks per second.")
    var tickRate = 20
    @Option(parsing: .unconditional, help: "With --create: match length in ticks.")
    var ticks = 600
    @Option(help: "Join the room with this name (NAME#ID or #ID for exactly the room with that id, as the lobby shows it), found through --peer, --resolver or --lan (the LAN when none is given).")
    var room: String?
    @Option(parsing: .unconditional, help: "Games to play before exiting.")
    var games = 1
    @Option(help: "Write every bot's replays into this directory.")
    var record: String?
    @Flag(help: "Bots chat at a human rate (room chat, then in-game chat).")
    var chat = false
    @Flag(help: "Print one JSON summary object at the end.")
    var json = false
    @Option(help: "Bot skill: random, easy, normal or hard.")
    var skill: BotSkillArgument = .normal
    @Option(parsing: .unconditional, help: "Seed for the bots' brains and chat, 0-\(UInt64.max).")
    var seed: UInt64 = 1
    @Option(parsing: .unconditional, help: "Seconds a joining bot looks for its room before giving up.")
    var joinTimeout = 30

    @Flag(help: "With --room: take this bot's dropped seat in the room's running match again (after a crash or a long blackout), with the keys in --identity; exits once that match ends.")
    var rejoin = false
    @Option(help: "With --count 1: the bot's keys, kept in this file (created when missing, mode 0600), so a restarted bot is the same player (for --rejoin).")
    var identity: String?

    @Flag(name: .customLong("relay-only"), help: "With --room and --resolver: reach the room's host only through the resolver's relay (`resolver --relay`), never directly: for testing and measuring the relay.")
    var relayOnly = false

    func validate() throws {
        guard (create == nil) != (room == nil) else { throw ValidationError("give exactly one of --create ROOM and --room ROOM") }
        guard count >= 1, count <= 32 else { throw ValidationError("--count must be 1-32, got \(count)") }
        guard games >= 1 else { throw ValidationError("--games must be at least 1, got \(games)") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0-65535, got \(port)") }
        guard (1...1000).contains(tickRate) else { throw ValidationError("--tick-rate must be 1-1000, got \(tickRate)") }
        guard ticks >= 1 else { throw ValidationError("--ticks must be at least 1, got \(ticks)") }
        guard joinTimeout >= 1 else { throw ValidationError("--join-timeout must be at least 1, got \(joinTimeout)") }
        if let players, !(1...PlayerSlot.capacity).contains(players) { throw ValidationError("--players must be 1-\(PlayerSlot.capacity), got \(players)") }
        if relayOnly, room == nil || find.resolvers.isEmpty { throw ValidationError("--relay-only needs --room and --resolver") }
        if rejoin, room == nil || identity == nil { throw ValidationError("--rejoin needs --room and --identity (the keys of the bot that held the seat)") }
        if identity != nil, count != 1 { throw ValidationError("--identity is for one bot: give --count 1") }
    }

    func run() async throws {
        let roles = try makeRole()
        if let record { try FileManager.default.createDirectory(atPath: record, withIntermediateDirectories: true) }
        var keys: NodeIdentity?
        if let identity {
            var entropy = SystemEntropy()
            do {
                keys = rejoin ? try NodeIdentity.load(path: identity) : try NodeIdentity.loadOrCreate(path: identity, entropy: &entropy)
            } catch {
                FileHandle.standardError.write(Data("meshplay bot: \(error)\n".utf8))
                throw ExitCode(2)
            }
        }
        var find = self.find
        // A room named with no way to find it is looked for on the LAN, as `meshplay play --room` does.
        if room != nil, find.peers.isEmpty, find.resolvers.isEmpty { find.lan = true }
        let run = BotRun(
            count: count, bindHost: bind, firstPort: port, find: find, relayOnly: relayOnly, identity: keys,
            plan: { index in
                BotPlan(
                    name: "\(name)-\(index + 1)", role: roles(index), password: password, games: games, recordDirectory: record,
                    chats: chat, skill: skill.skill, seed: seed &+ UInt64(index) &* 0x9E37_79B9,
                    joinTimeout: .seconds(Int64(joinTimeout)))
            })
        let reports = try await run.play(announceAs: create)
        // Every replay on disk before the summary names them.
        ReplayWriteQueue.shared.drain(timeout: .seconds(10))
        let summary = BotRunSummary(reports: reports)
        print(json ? summary.json : summary.text)
        if let failure = summary.joinFailure {
            FileHandle.standardError.write(Data("meshplay bot: \(failure)\n".utf8))
            throw ExitCode(2)
        }
        if !summary.allAgreed { throw ExitCode(1) }
    }

    /// The first bot's role is `--create` or `--room`; the others of a creating process join its room.
    private func makeRole() throws -> (Int) -> BotPlan.Role {
        guard let create else {
            let room = self.room ?? ""
            let rejoin = self.rejoin
            return { _ in rejoin ? .rejoin(room: room) : .join(room: room) }
        }
        let cap = players ?? count
        let offer = game.offer
        let match: PreparedMatch
        do { match = try offer.map(for: cap, asked: map, matchTicks: ticks) } catch { throw ValidationError("\(error)") }
        guard count <= cap else { throw ValidationError("--count \(count) is more than the room's \(cap) players") }
        guard match.configBytes.count <= RoomSettings.maxConfigBytes else {
            throw ValidationError("map \(match.mapName) needs \(match.configBytes.count) bytes of configuration; a room carries at most \(RoomSettings.maxConfigBytes)")
        }
        let settings = RoomSettings(
            name: create, game: offer.identity, map: match.mapName, configBytes: match.configBytes, playerCap: cap,
            tickRate: tickRate, matchLengthTicks: UInt32(ticks), startsWhenFull: false)
        return { index in index == 0 ? .create(settings: settings, playersToStart: cap) : .join(room: create) }
    }
}
