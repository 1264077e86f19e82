import MeshplayCore
import Replay

extension GoldenMatch {
    /// Tick rate in the header (playback speed; blocks close once per second of it).
    static let ticksPerSecond = 20
    /// Checkpoint interval K.
    static let checkpointInterval = 32

    /// Plays the match with seeded bots, recording into `sink` in the lockstep layer's order.
    /// Slot 0 chats at tick 40 and, with four players or more, the last slot leaves halfway,
    /// so events and a departure are part of every re-simulation.
    func play(_ game: GoldenGame, into sink: any ReplaySink) throws {
        let seats = (0..<players).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0 + 1)") }
        let running = try GoldenGame.catalog.makeGame(game.identity, config: config, players: seats, seed: seed)
        var seeds = SeededRandom(seed: seed ^ 0x601D_E2)
        let bots = seats.map { running.makeBot(slot: $0.slot, seed: seeds.derivedSeed(), skill: skill) }
        let leaver = players >= 4 ? PlayerSlot(players - 1) : nil
        var inputs = [PlayerInput](repeating: .none, count: players)
        try sink.begin(ReplayHeader(recording: running, ticksPerSecond: Self.ticksPerSecond, checkpointInterval: Self.checkpointInterval))
        while Int(running.tick.rawValue) < ticks, running.outcome == nil {
            let tick = running.tick
            if Int(tick.rawValue) % Self.checkpointInterval == 0 { try sink.checkpoint(tick: tick, checksum: running.checksum()) }
            if tick.rawValue == 40 { try sink.record(event: .chat(slot: PlayerSlot(0), text: "gl hf"), at: tick) }
            if let leaver, Int(tick.rawValue) == ticks / 2 {
                try sink.record(event: .leave(slot: leaver), at: tick)
                running.removePlayer(leaver)
            }
            for bot in bots {
                let hasLeft = leaver == bot.slot && Int(tick.rawValue) >= ticks / 2
                inputs[bot.slot.index] = hasLeft ? .none : bot.nextInput(in: running)
            }
            try sink.record(tick: tick, inputs: inputs)
            running.step(inputs: inputs)
        }
        try sink.finish(finalChecksum: running.checksum(), outcome: running.outcome)
    }
}
