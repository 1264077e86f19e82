import Lobby
import MeshplayCore
import Netplay
import Replay

/// Records every match of a node into its own replay file in one folder:
/// `ROOM-rROUND-gNUMBER-slotSLOT-PLAYER.mpr`, names made safe for a file system.
public struct ReplayRecorderFactory: MatchRecorderFactory {
    /// The folder the replays go into (it must exist).
    public var directory: String
    /// The recording player's name, in each file name.
    public var playerName: String
    /// Whether an existing file of the same name is replaced (bots re-running into one
    /// folder) or kept (a person's replays are never overwritten: a number is added).
    public var replacesExisting: Bool

    /// Replays into `directory` for `playerName`.
    public init(directory: String, playerName: String, replacesExisting: Bool = true) {
        self.directory = directory
        self.playerName = playerName
        self.replacesExisting = replacesExisting
    }

    /// The file for match `number` of `start`, before any de-duplication.
    public func path(for start: GameStart, number: Int) -> String {
        "\(directory)/\(Self.fileName(start.roomName))-r\(start.round)-g\(number)-slot\(start.localSlot.index)-\(Self.fileName(playerName)).mpr"
    }

    public func makeRecording(
        for start: GameStart, game: any RunningGame, number: Int, checkpointInterval: Int
    ) throws -> any MatchRecording {
        let base = path(for: start, number: number)
        let configuration = ReplayEncoder.Configuration(flushIntervalTicks: start.tickRate)
        var writer: ReplayFileWriter?
        if replacesExisting {
            writer = try ReplayFileWriter(path: base, mode: .replace, configuration: configuration)
        } else {
            // Never clobber a person's replay: the first free "-2", "-3" ... name.
            for attempt in 1...100 where writer == nil {
                let candidate = attempt == 1 ? base : String(base.dropLast(4)) + "-\(attempt).mpr"
                writer = try? ReplayFileWriter(path: candidate, mode: .createNew, configuration: configuration)
            }
        }
        guard let writer else { throw ReplayWriteError("no free file name near \(base)") }
        return try ReplayMatchRecording(
            writer: writer, game: game, localSlot: start.localSlot, ticksPerSecond: start.tickRate, checkpointInterval: checkpointInterval)
    }

    /// A name made safe for a file name: letters, digits, `-` and `_` kept, anything else `_`.
    public static func fileName(_ text: String) -> String {
        String(text.prefix(40).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
