#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Replay

/// Where matches are recorded: `--replays DIR`, else `$XDG_DATA_HOME/meshplay/replays`,
/// else `~/.local/share/meshplay/replays`, else `/tmp/meshplay-replays` when none of
/// those can be created.
public struct ReplayStore: Sendable {
    public let directory: String

    /// Picks and creates the directory; nil only when even /tmp is unusable.
    public init?(requested: String?, environment: [String: String]) {
        var candidates: [String] = []
        if let requested { candidates.append(requested) }
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            candidates.append(data + "/meshplay/replays")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            candidates.append(home + "/.local/share/meshplay/replays")
        }
        candidates.append("/tmp/meshplay-replays")
        guard let usable = candidates.first(where: Self.makeDirectories) else { return nil }
        directory = usable
    }

    /// A new file named after the game and the local time, never replacing another.
    public func makeWriter(gameName: String, tickRate: Int) throws -> ReplayFileWriter {
        let stamp = Self.timeStamp()
        var attempt = 0
        while true {
            let suffix = attempt == 0 ? "" : "-\(attempt)"
            let path = "\(directory)/\(gameName)-\(stamp)\(suffix).mpr"
            do {
                return try ReplayFileWriter(path: path, mode: .createNew, configuration: .init(flushIntervalTicks: tickRate))
            } catch let error as ReplayWriteError where error.errno == EEXIST && attempt < 100 {
                attempt += 1
            }
        }
    }

    /// `mkdir -p`; true when the directory exists afterwards and is writable.
    static func makeDirectories(_ path: String) -> Bool {
        var built = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            built += "/" + part
            if mkdir(built, 0o755) != 0 && errno != EEXIST { return false }
        }
        return access(path, W_OK) == 0
    }

    /// "20250101-120000" in local time.
    static func timeStamp() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        var text = [CChar](repeating: 0, count: 32)
        let count = strftime(&text, text.count, "%Y%m%d-%H%M%S", &parts)
        return String(decoding: text.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
