import MeshplayCore
import Replay

/// A match in one process where a bot plays every seat: what `meshplay sim` runs
/// without a network, and a reference for what every networked peer must compute.
///
/// Each tick the bots choose their inputs from the current state, the game steps,
/// and the recorder (if any) appends the inputs, a checkpoint every
/// `checkpointInterval` ticks, and the trailer at the end.
public final class LocalMatch {
    /// The game being played.
    public let game: any RunningGame
    /// Ticks per second the match is recorded at (playback speed; no clock is read).
    public let ticksPerSecond: Int
    /// Checkpoint interval K of the recording.
    public let checkpointInterval: Int
    private let bots: [any RunningBot]
    private let recorder: ReplayFileWriter?
    private var inputs: [PlayerInput]

    /// Seats a bot of `skill` in every slot of `game`. Bot seeds derive from `botSeed`,
    /// so the whole match is a function of the game seed and `botSeed`.
    public init(
        game: any RunningGame, skill: BotSkill, botSeed: UInt64, recorder: ReplayFileWriter? = nil,
        ticksPerSecond: Int = 20, checkpointInterval: Int = 32
    ) throws {
        self.game = game
        self.ticksPerSecond = ticksPerSecond
        self.checkpointInterval = checkpointInterval
        var seeds = SeededRandom(seed: botSeed)
        bots = game.players.map { game.makeBot(slot: $0.slot, seed: seeds.derivedSeed(), skill: skill) }
        inputs = Array(repeating: .none, count: game.players.count)
        self.recorder = recorder
        try recorder?.begin(ReplayHeader(recording: game, ticksPerSecond: ticksPerSecond, checkpointInterval: checkpointInterval))
    }

    /// Plays until `ticks` ticks have been simulated or the game is over, whichever is first.
    /// `onTick` sees each tick number after it was stepped, for tracing.
    public func run(ticks: Int, onTick: ((Tick) -> Void)? = nil) throws {
        while Int(game.tick.rawValue) < ticks, game.outcome == nil {
            let tick = game.tick
            for (index, bot) in bots.enumerated() { inputs[index] = bot.nextInput(in: game) }
            try recorder?.record(tick: tick, inputs: inputs)
            game.step(inputs: inputs)
            if let recorder, Int(game.tick.rawValue) % checkpointInterval == 0 {
                try recorder.checkpoint(tick: game.tick, checksum: game.checksum())
            }
            onTick?(game.tick)
        }
        try recorder?.finish(finalChecksum: game.checksum(), outcome: game.outcome)
    }
}
