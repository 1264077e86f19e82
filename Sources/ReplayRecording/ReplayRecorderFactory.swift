#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Attestation
import Foundation
import Lobby
import MeshplayCore
import Netplay
import Replay

/// Records every match of a node into its own replay file in one folder:
/// `ROOM-rROUND-gNUMBER-slotSLOT-PLAYER.mpr`, names made safe for a file system.
///
/// The files are written by a `ReplayWriteQueue` thread (``queue``), never on the caller's
/// thread: a node on an event loop hands over whole records and goes on. Each replay's
/// encoder closes a block at least once per second of game time and after every event, so
/// a crash loses at most the last second (and what the queue still held). At the queue's
/// bound a file stops recording and stays a valid truncated replay (see `ReplayWriteQueue`).
public struct ReplayRecorderFactory: MatchRecorderFactory {
    /// The folder the replays go into (it must exist).
    public var directory: String
    /// The recording player's name, in each file name.
    public var playerName: String
    /// Whether an existing file of the same name is replaced (bots re-running into one
    /// folder) or kept (a person's replays are never overwritten: a number is added).
    public var replacesExisting: Bool
    /// The thread that writes the files.
    public var queue: ReplayWriteQueue

    /// Replays into `directory` for `playerName`.
    public init(directory: String, playerName: String, replacesExisting: Bool = true, queue: ReplayWriteQueue = .shared) {
        self.directory = directory
        self.playerName = playerName
        self.replacesExisting = replacesExisting
        self.queue = queue
    }

    /// The file for match `number` of `start`, before any de-duplication.
    public func path(for start: GameStart, number: Int) -> String {
        "\(directory)/\(Self.fileName(start.roomName))-r\(start.round)-g\(number)-slot\(start.localSlot.index)-\(Self.fileName(playerName)).mpr"
    }

    public func makeRecording(
        for start: GameStart, game: any RunningGame, number: Int, checkpointInterval: Int, attestation: AttestationPlan?
    ) throws -> any MatchRecording {
        try recording(at: path(for: start, number: number), start: start, game: game, checkpointInterval: checkpointInterval, attestation: attestation)
    }

    /// The file of a match watched (no seat): `ROOM-rROUND-watch-PLAYER.mpr`.
    public func watchPath(for start: GameStart) -> String {
        "\(directory)/\(Self.fileName(start.roomName))-r\(start.round)-watch-\(Self.fileName(playerName)).mpr"
    }

    public func makeWatchRecording(
        for start: GameStart, game: any RunningGame, number: Int, checkpointInterval: Int, attestation: AttestationPlan?
    ) throws -> any MatchRecording {
        try recording(at: watchPath(for: start), start: start, game: game, checkpointInterval: checkpointInterval, attestation: attestation)
    }

    private func recording(
        at base: String, start: GameStart, game: any RunningGame, checkpointInterval: Int, attestation: AttestationPlan?
    ) throws -> any MatchRecording {
        let configuration = ReplayEncoder.Configuration(flushIntervalTicks: start.tickRate)
        var path = base
        if !replacesExisting {
            // Never clobber a person's replay: the first "-2", "-3" ... name that no file has and no
            // recording of this process has claimed (the queue may not have created the file yet).
            // The queue's `.createNew` still refuses a file that appears meanwhile, and says so.
            var attempt = 1
            while access(path, F_OK) == 0 || !ClaimedReplayPaths.shared.claim(path) {
                attempt += 1
                guard attempt <= 100 else { throw ReplayWriteError("no free file name near \(base)") }
                path = String(base.dropLast(4)) + "-\(attempt).mpr"
            }
        }
        let writer = QueuedReplayWriter(path: path, mode: replacesExisting ? .replace : .createNew, configuration: configuration, queue: queue)
        return try ReplayMatchRecording(
            writer: writer, game: game, localSlot: start.localSlot, ticksPerSecond: start.tickRate, checkpointInterval: checkpointInterval,
            attestation: attestation)
    }

    /// A name made safe for a file name: letters, digits, `-` and `_` kept, anything else `_`.
    public static func fileName(_ text: String) -> String {
        String(text.prefix(40).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}

/// The replay paths this process has chosen, so two recordings never choose one name before
/// either file exists. Bounded: the newest 4,096 are kept (older files exist on disk by then).
final class ClaimedReplayPaths: @unchecked Sendable {
    static let shared = ClaimedReplayPaths()
    private let lock = NSLock()
    private var paths: [String] = []

    /// Claims `path`; false when this process claimed it already.
    func claim(_ path: String) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !paths.contains(path) else { return false }
        paths.append(path)
        if paths.count > 4096 { paths.removeFirst() }
        return true
    }
}
