import Benchmark
import Blast
import MeshplayCore
import Netplay
import Replay
import Simulation
import Snake
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// Ticks in the recorded match that the verify benchmark re-simulates.
let verifyTicks = 20_000

/// An 8-player bot match on the walled map, recorded to bytes once.
func recordedEightPlayerMatch() throws -> [UInt8] {
    let path = "/tmp/meshplay-bench-\(getpid()).mpr"
    defer { unlink(path) }
    let map = try SnakeMap.load(nameOrPath: "walled")
    let players = (0..<8).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0 + 1)") }
    let game = try GameInstance(rules: try SnakeRules(config: .standard(map: map, matchTicks: verifyTicks)), players: players, seed: 99)
    let writer = try ReplayFileWriter(path: path, mode: .replace)
    try LocalMatch(game: game, skill: .normal, botSeed: 1, recorder: writer).run(ticks: verifyTicks)
    return try readAll(path)
}

/// An 8-player Blast bot match on plaza, recorded to bytes once.
func recordedEightPlayerBlastMatch() throws -> [UInt8] {
    let path = "/tmp/meshplay-bench-blast-\(getpid()).mpr"
    defer { unlink(path) }
    let map = try BlastMap.load(nameOrPath: "plaza")
    let players = (0..<8).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0 + 1)") }
    let game = try GameInstance(rules: try BlastRules(config: .standard(map: map, matchTicks: verifyTicks)), players: players, seed: 99)
    let writer = try ReplayFileWriter(path: path, mode: .replace)
    try LocalMatch(game: game, skill: .normal, botSeed: 1, recorder: writer).run(ticks: verifyTicks)
    return try readAll(path)
}

/// A catalog that knows Blast.
func blastCatalog() -> GameCatalog {
    var catalog = GameCatalog()
    catalog.register(BlastRules.self)
    return catalog
}

/// The whole file at `path`.
func readAll(_ path: String) throws -> [UInt8] {
    let file = fopen(path, "rb")!
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let count = fread(&buffer, 1, buffer.count, file)
        if count <= 0 { break }
        bytes += buffer[0..<count]
    }
    return bytes
}

/// The client's model with an 8-player match on the 64x32 arena under way (200 ticks in),
/// as `meshplay play` holds it between frames.
func eightPlayerGameOnScreen() throws -> AppModel {
    let map = try SnakeMap.load(nameOrPath: "arena16")
    let players = (0..<8).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0 + 1)") }
    let game = try GameInstance(rules: try SnakeRules(config: .standard(map: map, matchTicks: 2_000)), players: players, seed: 7)
    try LocalMatch(game: game, skill: .normal, botSeed: 3).run(ticks: 200)
    let links = (1..<8).map { LinkStatus(slot: PlayerSlot($0), name: "bot\($0 + 1)", roundTrip: .milliseconds(Int64(20 + $0)), lossPercent: $0 % 3) }
    let status = MatchStatus(
        game: SnakeRules.identity, localSlot: PlayerSlot(0), players: players, tick: game.tick, tickRate: 15, inputDelay: 3,
        isRunning: true, isOver: false, waitingFor: [], stalledFor: .zero, dropped: [], replayPath: nil)
    var model = AppModel(playerName: "bot1", gameName: "snake", mapNames: ["arena16"], seats: [8],
                         defaultChoices: RoomChoices(mapName: "arena16", bots: 7, matchSeconds: 120, tickRate: 15))
    model.matchStarted(title: "snake on arena16", view: game.view(), status: status, links: links, controls: SnakeRules.controls)
    return model
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(5))

    Benchmark("Checksum of 1 KiB state") { benchmark in
        let bytes = [UInt8](repeating: 0x5A, count: 1024)
        for _ in benchmark.scaledIterations {
            blackHole(StateHasher.checksum(of: bytes))
        }
    }

    // One iteration re-simulates the whole 20,000-tick match: ticks/s = throughput x 20,000.
    Benchmark("Verify 8-player replay (20000 ticks)") { benchmark, replay in
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let report = ReplayVerifier.verify(bytes: replay, catalog: catalog)
            precondition(report.status == .ok, "benchmark replay did not verify: \(report)")
            blackHole(report)
        }
    } setup: {
        try recordedEightPlayerMatch()
    }

    // The second game. A Blast match ends when one bomber stands, long before its tick limit, so the
    // benchmark records it up front and names the ticks it really re-simulates: ticks/s = throughput x that.
    let blastReplay = try? recordedEightPlayerBlastMatch()
    let blastTicks = blastReplay.map { ReplayVerifier.verify(bytes: $0, catalog: blastCatalog()).ticks } ?? 0
    Benchmark("Verify 8-player Blast replay (\(blastTicks)-tick match)") { benchmark in
        guard let replay = blastReplay else { fatalError("could not record the Blast benchmark match") }
        let catalog = blastCatalog()
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let report = ReplayVerifier.verify(bytes: replay, catalog: catalog)
            precondition(report.status == .ok, "benchmark replay did not verify: \(report)")
            blackHole(report)
        }
    }

    // Stepping only, with inputs from a recorded match: the simulation cost per tick.
    Benchmark("Snake step, 8 players (1000 ticks)") { benchmark, replay in
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        let file = try ReplayFile(bytes: replay)
        let inputs = Array(file.expandedInputs().prefix(1000))
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let game = try catalog.makeGame(file.header.game, config: file.header.config, players: file.header.players, seed: file.header.seed)
            for tickInputs in inputs { game.step(inputs: tickInputs) }
            blackHole(game.tick)
        }
    } setup: {
        try recordedEightPlayerMatch()
    }

    // What the client does each frame before curses: draw the whole screen into a fresh cell
    // buffer. At the match's tick rate, cost per frame x rate = the share of one core.
    Benchmark("Draw an 8-player game frame (80x24)") { benchmark, model in
        for _ in benchmark.scaledIterations {
            var buffer = CellBuffer(width: 80, height: 24)
            model.draw(into: &buffer)
            blackHole(buffer)
        }
    } setup: {
        try eightPlayerGameOnScreen()
    }
}
