import Foundation

/// Three `meshplay bot` processes on fixed loopback ports playing one match: a host that
/// creates room `arena` for 3 and two that join it by `--peer`.
final class LiveMatch {
    let ports: [Int]
    let targets: [Target]

    /// What one player's process reported.
    struct Result {
        let exitCode: Int32?
        let checksum: String?
        let dropped: String
        var didNotDrop: Bool { dropped == "[]" }
    }

    init(_ context: Context, ticks: Int, room: String = "arena") throws {
        ports = try (0..<3).map { _ in try freePort() }
        var targets: [Target] = []
        targets.append(try context.start("host", [
            "bot", "--name", "host", "--create", room, "--players", "3", "--port", "\(ports[0])", "--ticks", "\(ticks)", "--json", "--seed", "1",
        ]))
        for index in 1...2 {
            targets.append(try context.start("player\(index)", [
                "bot", "--name", "player\(index)", "--room", room, "--peer", "127.0.0.1:\(ports[0])", "--port", "\(ports[index])",
                "--json", "--seed", "\(index + 1)",
            ]))
        }
        self.targets = targets
    }

    var isRunning: Bool { targets.contains(where: \.isRunning) }

    /// Waits for the match to start (the host says so on stderr).
    func waitUntilPlaying() throws {
        guard targets[0].waitForError(containing: "game 1 started", seconds: 40) else {
            throw AttackError("the match did not start: \(targets[0].standardError.suffix(300))")
        }
    }

    /// Waits for all three to exit and reads their JSON.
    func finish() -> [Result] {
        targets.map { target in
            let code = target.wait(seconds: 90)
            let json = target.standardOutput
            return Result(exitCode: code, checksum: Self.checksum(in: json), dropped: Self.dropped(in: json) ?? "?")
        }
    }

    func stop() { for target in targets { target.stop() } }

    /// The bot's summary (`meshplay bot --json`), parsed.
    static func summary(_ json: String) -> [String: Any]? {
        guard let line = json.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
    }

    /// The first game's final checksum, or nil.
    static func checksum(in json: String) -> String? {
        ((summary(json)?["games"] as? [[String: Any]])?.first?["finalChecksum"]) as? String
    }

    /// The first game's dropped players, as written.
    static func dropped(in json: String) -> String? {
        ((summary(json)?["games"] as? [[String: Any]])?.first?["droppedPlayers"] as? [Any]).map { "\($0.map { "\($0)" })" }
    }
}
