import Bots
import MeshplayCore
import Replay

/// A match in this process: the human in slot 0, bots in every other slot, ticking on
/// the caller's monotonic clock and recording a replay as it goes.
///
/// Like `Bots.LocalMatch`, but paced by real time and with the human's steering
/// sampled at each tick. It never stalls: every input is here.
public final class LocalPlaySession: PlaySession {
    public let localSlot = PlayerSlot(0)
    public var players: [PlayerInfo] { game.players }
    public let tickRate: Int
    /// Checkpoint interval K of the recording.
    public let checkpointInterval: Int
    /// The game being played (read-only use: tests, results).
    public let game: any RunningGame

    private let bots: [any RunningBot]
    private var recorder: ReplayFileWriter?
    private let replayPath: String?
    private let tickInterval: TimeSpan
    private var nextTickAt: Timestamp?
    private var inputs: [PlayerInput]
    /// Presses not yet played, oldest first: two quick turns inside one tick both count
    /// (a snake can then turn around a corner), instead of the second replacing the first.
    private var pendingHumanInputs: [PlayerInput] = []
    private var humanInput = PlayerInput.none
    private var ended = false
    private var pendingEvents: [SessionEvent] = []
    private var cachedView: GameView?

    /// Most presses queued ahead; more are dropped so mashing keys cannot build a backlog.
    static let inputQueueLimit = 3
    /// After a pause longer than this many ticks (a suspended process), the clock
    /// skips ahead instead of running every missed tick at once.
    static let catchUpLimit = 5

    /// Seats bots of `skill` in slots 1 and up; starts recording to `recorder` if given.
    public init(game: any RunningGame, tickRate: Int, skill: BotSkill, botSeed: UInt64,
                recorder: ReplayFileWriter?, checkpointInterval: Int = 32) throws {
        precondition(tickRate > 0, "tick rate must be positive")
        self.game = game
        self.tickRate = tickRate
        self.checkpointInterval = checkpointInterval
        tickInterval = TimeSpan(nanoseconds: 1_000_000_000 / Int64(tickRate))
        var seeds = SeededRandom(seed: botSeed)
        bots = game.players.dropFirst().map { game.makeBot(slot: $0.slot, seed: seeds.derivedSeed(), skill: skill) }
        inputs = Array(repeating: .none, count: game.players.count)
        self.recorder = recorder
        replayPath = recorder?.path
        try recorder?.begin(ReplayHeader(recording: game, ticksPerSecond: tickRate, checkpointInterval: checkpointInterval))
    }

    public func localInput(_ input: PlayerInput) {
        guard !ended, pendingHumanInputs.count < Self.inputQueueLimit else { return }
        if pendingHumanInputs.last == input || (pendingHumanInputs.isEmpty && humanInput == input) { return }
        pendingHumanInputs.append(input)
    }

    public func sendChat(_ text: String) {
        let clean = ChatText.forDisplay(text)
        guard !clean.isEmpty, !ended else { return }
        let slot = localSlot
        perform { try recorder?.record(event: .chat(slot: slot, text: clean), at: game.tick) }
        pendingEvents.append(.chat(from: slot, name: game.players[slot.index].name, text: clean))
    }

    public func advance(now: Timestamp) -> [SessionEvent] {
        var events = pendingEvents
        pendingEvents = []
        guard !ended else { return events }
        guard var due = nextTickAt else {
            // The first call starts the clock: tick 0 runs one interval from now.
            nextTickAt = now + tickInterval
            return events
        }
        if now - due > tickInterval * Int64(Self.catchUpLimit) { due = now }
        while due <= now, !ended {
            stepOnce()
            due = due + tickInterval
            if let outcome = game.outcome {
                finishRecording(outcome: outcome)
                events.append(.finished(outcome, replayPath: replayPath))
            }
        }
        nextTickAt = due
        events += pendingEvents
        pendingEvents = []
        return events
    }

    public func nextDeadline(after now: Timestamp) -> Timestamp {
        guard !ended, let nextTickAt else { return now + .seconds(1) }
        return nextTickAt
    }

    public var view: GameView {
        if let cachedView { return cachedView }
        let fresh = game.view()
        cachedView = fresh
        return fresh
    }

    public var status: SessionStatus {
        let peers = game.players.filter { $0.slot != localSlot }.map {
            PeerStatus(slot: $0.slot, name: $0.name, pingMilliseconds: nil, lossPercent: 0, isLocal: true)
        }
        return SessionStatus(tick: game.tick, tickRate: tickRate, inputDelay: 0, peers: peers, waitingFor: [],
                             isLocal: true, replayPath: replayPath)
    }

    public func leave() {
        guard !ended else { return }
        ended = true
        // An abandoned match keeps what was played: the file verifies as truncated.
        try? recorder?.close()
        recorder = nil
    }

    private func stepOnce() {
        if !pendingHumanInputs.isEmpty { humanInput = pendingHumanInputs.removeFirst() }
        inputs[localSlot.index] = humanInput
        for bot in bots { inputs[bot.slot.index] = bot.nextInput(in: game) }
        let tick = game.tick
        perform { try recorder?.record(tick: tick, inputs: inputs) }
        game.step(inputs: inputs)
        cachedView = nil
        if Int(game.tick.rawValue) % checkpointInterval == 0 {
            let next = game.tick
            let checksum = game.checksum()
            perform { try recorder?.checkpoint(tick: next, checksum: checksum) }
        }
    }

    private func finishRecording(outcome: GameOutcome) {
        ended = true
        let checksum = game.checksum()
        perform { try recorder?.finish(finalChecksum: checksum, outcome: outcome) }
        recorder = nil
    }

    /// A recording failure must not end the game: stop recording and say so once.
    private func perform(_ body: () throws -> Void) {
        do {
            try body()
        } catch {
            try? recorder?.close()
            recorder = nil
            pendingEvents.append(.notice("recording stopped: \(error)"))
        }
    }
}
