import MeshplayCore

/// Steps through a replay for a viewer: owns a running game, advances it a tick at a
/// time, seeks (by re-simulating from the start when going back), and exposes the
/// chat lines and departures of every tick.
///
/// Playback does not compare checksums; use `ReplayVerifier` for a verdict. A truncated
/// file plays up to its last whole record.
public final class ReplayPlayback {
    /// The whole decoded file: header, events, checkpoints, trailer or truncation.
    public let file: ReplayFile
    /// The game at the current position; read it (view, outcome) between steps.
    public private(set) var game: any RunningGame
    /// Events applied just before the most recent step (or at the end of the stream).
    public private(set) var lastEvents: [ReplayEvent] = []

    private let bytes: [UInt8]
    private let catalog: GameCatalog
    private var reader: ReplayReader
    /// Steps left in the reader's current `advance`.
    private var pendingSteps = 0
    private var reachedEnd = false

    /// Decodes `bytes` and starts the recorded game at tick 0.
    /// Throws `DecodingError` for a damaged file and `GameSetupError` for a game this build cannot run.
    public init(bytes: [UInt8], catalog: GameCatalog) throws {
        self.bytes = bytes
        self.catalog = catalog
        file = try ReplayFile(bytes: bytes)
        reader = try ReplayReader(bytes: bytes)
        game = try Self.startGame(file.header, catalog: catalog)
    }

    /// The tick the next step simulates (how many steps have been taken).
    public var tick: Tick { game.tick }

    /// How many ticks the replay holds.
    public var tickCount: Tick { file.tickCount }

    /// Whether the last tick has been simulated and the last events applied.
    public var isAtEnd: Bool { reachedEnd }

    /// The events recorded at `tick` (applied before that tick's step), in order.
    public func events(at tick: Tick) -> [ReplayEvent] {
        var low = 0
        var high = file.events.count
        while low < high {
            let middle = (low + high) / 2
            if file.events[middle].tick < tick { low = middle + 1 } else { high = middle }
        }
        var result: [ReplayEvent] = []
        while low < file.events.count, file.events[low].tick == tick {
            result.append(file.events[low].event)
            low += 1
        }
        return result
    }

    /// Chat lines recorded before `tick`, oldest first, for a chat pane.
    public func chat(before tick: Tick) -> [ReplayTimedEvent] {
        file.events.filter { event in
            guard case .chat = event.event else { return false }
            return event.tick < tick
        }
    }

    /// Applies the events of the current tick and simulates it. Returns the events applied,
    /// or nil when the replay is over (then any final events are in `lastEvents`).
    @discardableResult
    public func stepForward() throws -> [ReplayEvent]? {
        guard !reachedEnd else { return nil }
        var applied: [ReplayEvent] = []
        while pendingSteps == 0 {
            switch try reader.next() {
            case .advance(let count):
                pendingSteps = count
            case .event(let event, _):
                event.apply(to: game)
                applied.append(event)
            case .checkpoint, .attestation:
                continue
            case .end, .truncated:
                reachedEnd = true
                lastEvents = applied
                return nil
            }
        }
        game.step(inputs: reader.inputs)
        pendingSteps -= 1
        lastEvents = applied
        return applied
    }

    /// Moves to `target` (clamped to `tickCount`): forwards by stepping, backwards by
    /// restarting the game and re-simulating from tick 0.
    public func seek(to target: Tick) throws {
        let goal = min(target, tickCount)
        if goal < game.tick || reachedEnd && goal < tickCount {
            game = try Self.startGame(file.header, catalog: catalog)
            reader = try ReplayReader(bytes: bytes)
            pendingSteps = 0
            reachedEnd = false
            lastEvents = []
        }
        while game.tick < goal, try stepForward() != nil {}
    }

    private static func startGame(_ header: ReplayHeader, catalog: GameCatalog) throws -> any RunningGame {
        try catalog.makeGame(header.game, config: header.config, players: header.players, seed: header.seed)
    }
}
