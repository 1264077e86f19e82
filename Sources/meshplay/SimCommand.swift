import ArgumentParser
import MeshplayCore
import Netplay
import Replay
import Simulation
import Snake
import Blast

/// `meshplay sim`: a whole match in one process, deterministic by seed.
struct SimCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim",
        abstract: "Play a bot match in one process, deterministic by seed.",
        discussion: """
        Every seat is taken by a bot of the game. The same options always give the same
        match, the same final checksum and a byte-identical replay file. Without --map
        the game's default map plays, or the smallest built-in map that seats everyone.

        Examples:
          meshplay sim --players 4 --ticks 2000 --seed 7 --record /tmp/a.mpr --json
          meshplay sim --players 16 --map arena16 --ticks 600 --seed 3
          meshplay sim --game blast --players 8 --ticks 3000 --seed 1
        """
    )

    @Option(help: "The game: \(GameOffer.builtin.map(\.name).joined(separator: " or ")).")
    var game: GameArgument = .standard

    // Numbers parse `.unconditional`ly: in `--ticks -5` the "-5" is the value, refused with the
    // option's range by validate(), where ArgumentParser would take it for an option ("Missing value").
    @Option(parsing: .unconditional, help: "Number of players (1-16; without --map, the smallest built-in map that seats them).")
    var players: Int = 4

    @Option(parsing: .unconditional, help: "Match length in ticks.")
    var ticks: Int = 2_000

    @Option(parsing: .unconditional, help: "The match seed, 0-\(UInt64.max).")
    var seed: UInt64 = 1

    @Option(help: "A built-in map name (snake: \(SnakeRules.offer.builtinMaps.joined(separator: ", ")); blast: \(BlastRules.offer.builtinMaps.joined(separator: ", "))) or a map file path; default: the game's default, or a map that seats --players.")
    var map: String?

    @Option(help: "Bot skill: random, easy, normal or hard.")
    var skill: BotSkillArgument = .normal

    @Option(parsing: .unconditional, help: "Simulated tick rate in Hz, recorded in the replay for playback speed.")
    var tickRate: Int = 20

    @Option(help: "Record the match to this replay file (replaced if it exists).")
    var record: String?

    @Flag(help: "Print one JSON object instead of a text summary.")
    var json = false

    @Option(parsing: .unconditional, help: "Networked: probability (0-1) that a datagram is lost, per direction.")
    var loss: Double?

    @Option(parsing: .unconditional, help: "Networked: probability (0-1) that a datagram is delivered twice.")
    var duplicate: Double?

    @Option(parsing: .unconditional, help: "Networked: probability (0-1) that a datagram is held back (reordered).")
    var reorder: Double?

    @Option(parsing: .unconditional, help: "Networked: one-way latency in milliseconds.")
    var latency: Int?

    @Option(parsing: .unconditional, help: "Networked: latency jitter in milliseconds (uniform ±).")
    var jitter: Int?

    @Option(parsing: .unconditionalSingleValue, help: "Networked: cut seats A from seats B during ticks START..<END, as A-B@START-END with seats joined by '+' (e.g. 0+1-2@100-200). Repeatable.")
    var partition: [String] = []

    @Option(parsing: .unconditionalSingleValue, help: "Networked: seat SLOT's node dies at tick TICK, as SLOT@TICK. Repeatable.")
    var crash: [String] = []

    @Option(parsing: .unconditionalSingleValue, help: "Networked: seat SLOT's crashed node restarts at tick TICK (same keys, a new address) and takes its seat again, as SLOT@TICK (after a --crash of SLOT). Repeatable.")
    var rejoin: [String] = []

    @Option(help: "Networked: this many spectators (0-32) join the mesh and watch the match, fed by the players in turn, 2 s behind.")
    var spectators: Int = 0

    @Option(parsing: .unconditionalSingleValue, help: "Networked: from tick TICK on, every link's one-way latency is MS milliseconds, as MS@TICK (a network that gets slower or faster mid-game). Repeatable.")
    var latencyChange: [String] = []

    @Flag(help: "Networked: keep each peer's input delay where warm-up put it (no adaptation during the game), to compare.")
    var fixedDelay = false

    @Option(help: "Networked: record every peer's replay into this directory (peer-N.mpr).")
    var recordDir: String?

    @Flag(help: "Run the networked simulation (N full peers over a simulated network) even without network options.")
    var network = false

    @Option(parsing: .unconditional, help: "Networked: the chance per million frames of a stall that each peer's input lead aims under (see LockstepLead).")
    var stallTarget: Int = MatchConfiguration().stallTargetPerMillion

    @Flag(help: "Print every tick's state checksum as `TICK CHECKSUM` lines (for determinism checks).")
    var traceChecksums = false

    func validate() throws {
        let offer = game.offer
        guard (1...offer.playerLimit).contains(players) else {
            throw ValidationError("--players must be 1-\(offer.playerLimit), got \(players)")
        }
        guard offer.matchTicks.contains(ticks) else {
            throw ValidationError("--ticks must be \(offer.matchTicks.lowerBound)-\(offer.matchTicks.upperBound), got \(ticks)")
        }
        guard ReplayFormat.ticksPerSecondRange.contains(tickRate) else {
            throw ValidationError("--tick-rate must be \(ReplayFormat.ticksPerSecondRange.lowerBound)-\(ReplayFormat.ticksPerSecondRange.upperBound), got \(tickRate)")
        }
        guard (1...1_000_000).contains(stallTarget) else { throw ValidationError("--stall-target must be 1-1000000, got \(stallTarget)") }
        if isNetworked { _ = try networkedOptions() }
    }

    /// Whether any option asks for the networked simulation.
    var isNetworked: Bool {
        network || loss != nil || duplicate != nil || reorder != nil || latency != nil || jitter != nil
            || !partition.isEmpty || !crash.isEmpty || !latencyChange.isEmpty || fixedDelay || recordDir != nil
            || !rejoin.isEmpty || spectators != 0
    }

    func run() throws {
        let offer = game.offer
        let match: PreparedMatch
        do {
            match = try offer.map(for: players, asked: map, matchTicks: ticks)
        } catch {
            throw ValidationError("\(error)")
        }
        let seats = (0..<players).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0 + 1)") }
        let game: any RunningGame
        do {
            game = try GameCatalog.builtin.makeGame(offer.identity, config: match.configBytes, players: seats, seed: seed)
        } catch {
            throw ValidationError("\(error)")
        }

        if isNetworked {
            try runNetworked(identity: offer.identity, config: match.configBytes, seats: seats, mapName: match.mapName)
            return
        }
        let recorder = try record.map {
            try ReplayFileWriter(path: $0, mode: .replace, configuration: .init(flushIntervalTicks: tickRate))
        }
        // Bots draw from their own stream, derived from the match seed, so a match is one number.
        let local = try LocalMatch(
            game: game, skill: skill.skill, botSeed: seed ^ 0x5EED_B075, recorder: recorder, ticksPerSecond: tickRate)
        // A long match shows where it is on a terminal (stderr, so stdout and --json stay clean).
        var progress = ProgressLine.isShown ? ThrottledProgress() : nil
        let trace = traceChecksums
        let total = ticks
        try local.run(ticks: ticks, onTick: trace || progress != nil ? { tick in
            if trace { print("\(tick) \(game.checksum())") }
            progress?.update("sim: tick \(tick.rawValue) of \(total)")
        } : nil)
        progress?.finish()
        let summary = SimSummary(game: game, seed: seed, mapName: match.mapName, replayPath: record, replayBytes: recorder?.bytesWritten)
        print(json ? summary.json : summary.text)
    }
}

/// `--skill` values.
enum BotSkillArgument: String, ExpressibleByArgument, CaseIterable {
    case random, easy, normal, hard

    var skill: BotSkill {
        switch self {
        case .random: .random
        case .easy: .easy
        case .normal: .normal
        case .hard: .hard
        }
    }
}

/// What `meshplay sim` reports about a finished match.
struct SimSummary {
    let game: any RunningGame
    let seed: UInt64
    let mapName: String
    let replayPath: String?
    let replayBytes: Int?
    /// Every replay file the run wrote (one per peer with --record-dir), in seat order.
    var replayFiles: [String] = []
    /// Players who left before the end, by slot, with the tick they left at (marked in the scores).
    var leftAt: [(slot: Int, tick: Int)] = []

    func leftTick(of slot: PlayerSlot) -> Int? { leftAt.first { $0.slot == slot.index }?.tick }

    var ticks: Int { Int(game.tick.rawValue) }

    var json: String {
        var object = JSONText()
        object.field("game", string: game.identity.id)
        object.field("map", string: mapName)
        object.field("players", int: game.players.count)
        object.field("ticks", int: ticks)
        object.field("seed", game.seed.description)
        object.field("finalChecksum", string: game.checksum().description)
        let outcome = game.outcome
        object.field("winner", string: outcome?.winner.map { game.players[$0.index].name })
        object.field("scores", JSONText.array((outcome?.placings ?? []).map { placing in
            var entry = JSONText()
            entry.field("player", string: game.players[placing.slot.index].name)
            entry.field("score", int: placing.score)
            entry.field("place", int: placing.place)
            if let tick = leftTick(of: placing.slot) { entry.field("leftAtTick", int: tick) }
            return entry.object
        }))
        object.field("replay", string: replayPath)
        object.field("replays", JSONText.array((replayFiles.isEmpty ? replayPath.map { [$0] } ?? [] : replayFiles).map(JSONText.quoted)))
        object.field("replayBytes", int: replayBytes)
        if let replayBytes, ticks > 0 {
            // Hundredths, as an integer pair, so the figure is exact and needs no floating point.
            let hundredths = replayBytes * 100 / (ticks * game.players.count)
            object.field("replayBytesPerPlayerTick", "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)")
        }
        return object.object
    }

    var text: String {
        var lines = ["\(game.identity) on \(mapName): \(game.players.count) players, \(ticks) ticks, seed \(seed)"]
        if let outcome = game.outcome {
            let winner = outcome.winner.map { game.players[$0.index].name } ?? "draw"
            lines.append("result: \(winner) (\(outcome.reason))")
            for placing in outcome.placings {
                let left = leftTick(of: placing.slot).map { "  (left at tick \($0))" } ?? ""
                lines.append("  \(placing.place). \(game.players[placing.slot.index].name)  \(placing.score)\(left)")
            }
        }
        lines.append("final checksum \(game.checksum())")
        if let replayPath, let replayBytes { lines.append("replay \(replayPath) (\(replayBytes) bytes)") }
        let others = replayFiles.filter { $0 != replayPath }
        if !others.isEmpty { lines.append("replays \(others.joined(separator: " "))") }
        return lines.joined(separator: "\n")
    }
}
