import MeshplayCore
import MeshplayTestSupport
import Replay
import Snake
import Testing

/// The sample game's own replays: what `meshplay sim --record` writes and `verify` reads.
@Suite("Snake replays")
struct SnakeReplayTests {
    static let catalog: GameCatalog = {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        return catalog
    }()

    /// A bot match recorded in memory, with a chat line and a player leaving mid-game.
    static func record(players: Int, ticks: Int, seed: UInt64, map: String = "walled") throws -> (bytes: [UInt8], final: StateChecksum) {
        let rules = try SnakeRules(config: .standard(map: try SnakeMap.load(nameOrPath: map), matchTicks: ticks))
        let seats = (0..<players).map { PlayerInfo(slot: PlayerSlot($0), name: "snake-\($0)") }
        let game = try GameInstance(rules: rules, players: seats, seed: seed)
        var bots = seats.map { SnakeBot(rules: rules, slot: $0.slot, seed: seed &+ UInt64($0.slot.index), skill: .normal) }
        var encoder = ReplayEncoder()
        let interval = 16
        try encoder.begin(ReplayHeader(recording: game, ticksPerSecond: 20, checkpointInterval: interval))
        var inputs = [PlayerInput](repeating: .none, count: players)
        var left = false
        while Int(game.tick.rawValue) < ticks {
            let tick = game.tick
            if tick.rawValue % UInt32(interval) == 0 { try encoder.checkpoint(tick: tick, checksum: game.checksum()) }
            if tick == Tick(100) { try encoder.record(event: .chat(slot: PlayerSlot(0), text: "gg \u{1B}[2J"), at: tick) }
            if tick == Tick(150), players > 2 {
                try encoder.record(event: .leave(slot: PlayerSlot(2)), at: tick)
                game.removePlayer(PlayerSlot(2))
                left = true
            }
            for index in 0..<players where !(left && index == 2) {
                inputs[index] = bots[index].nextInput(rules: rules, state: game.state)
            }
            try encoder.record(tick: tick, inputs: inputs)
            game.step(inputs: inputs)
        }
        try encoder.finish(finalChecksum: game.checksum(), outcome: game.outcome)
        return (encoder.takeOutput(), game.checksum())
    }

    @Test func recordedMatchVerifiesWithItsFinalChecksum() throws {
        let match = try Self.record(players: 4, ticks: 400, seed: 21)
        let report = ReplayVerifier.verify(bytes: match.bytes, catalog: Self.catalog)
        #expect(report.status == .ok, "\(report)")
        #expect(report.ticks == 400)
        #expect(report.finalChecksum == match.final)
        #expect(report.players.map(\.name) == ["snake-0", "snake-1", "snake-2", "snake-3"])
    }

    @Test func sixHundredSingleByteChangesAreNeverOK() throws {
        let bytes = try Self.record(players: 4, ticks: 400, seed: 22).bytes
        #expect(bytes.count > 600)
        var random = SeededRandom(seed: 5)
        var positions = Array(0..<min(bytes.count, 300))  // the whole header region
        while positions.count < 600 { positions.append(random.nextIndex(below: bytes.count)) }
        for position in positions {
            var damaged = bytes
            damaged[position] ^= UInt8(1 + random.next(below: 255))
            let report = ReplayVerifier.verify(bytes: damaged, catalog: Self.catalog)
            #expect(report.status == .mismatch || report.status == .malformed, "byte \(position): \(report)")
        }
    }

    @Test func truncationAtEveryRecordBoundaryAndInsideRecordsIsReported() throws {
        let bytes = try Self.record(players: 3, ticks: 300, seed: 23).bytes
        let records = try ReplayRecordScanner.records(in: bytes).records
        var cuts = records.map(\.end).dropLast().map { $0 }
        cuts += records.map { ($0.offset + $0.end) / 2 }
        for cut in cuts {
            let report = ReplayVerifier.verify(bytes: Array(bytes[0..<cut]), catalog: Self.catalog)
            #expect(report.status == (records.contains { $0.end == cut } ? .incomplete : .malformed), "cut at \(cut): \(report)")
            #expect(report.isTruncated, "cut at \(cut): \(report)")
        }
    }

    /// The budget: at most 2 bytes per player per tick for bot games.
    @Test func eightPlayerBotGameCostsUnderTwoBytesPerPlayerTick() async throws {
        try await OffThePool.compute {
            let ticks = 2_000
            let bytes = try Self.record(players: 8, ticks: ticks, seed: 24, map: "open").bytes
            let hundredthsPerPlayerTick = bytes.count * 100 / (8 * ticks)
            #expect(hundredthsPerPlayerTick <= 200, "\(bytes.count) bytes")
        }
    }
}
