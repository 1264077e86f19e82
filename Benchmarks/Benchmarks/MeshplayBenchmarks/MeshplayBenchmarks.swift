import Benchmark
import Bots
import MeshplayCore
import Replay
import Snake

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
}
