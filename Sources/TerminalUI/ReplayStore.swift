#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where matches are recorded: `--replays DIR`, else `$XDG_DATA_HOME/meshplay/replays`,
/// else `~/.local/share/meshplay/replays`, else `/tmp/meshplay-replays` when none of
/// those can be created. (Each match's file is named by the player's node: room, round,
/// match number, seat and player, never replacing another.)
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

    /// `mkdir -p`; true when the directory exists afterwards and is writable.
    static func makeDirectories(_ path: String) -> Bool {
        var built = ""
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            built += "/" + part
            if mkdir(built, 0o755) != 0 && errno != EEXIST { return false }
        }
        return access(path, W_OK) == 0
    }
}
