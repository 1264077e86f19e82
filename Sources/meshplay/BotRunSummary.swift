import Bots
import MeshplayCore
import Netplay

/// What `meshplay bot` prints at the end: per game (the n-th game of every bot of this
/// process together), the agreed checksum and figures; and whether all went well.
struct BotRunSummary {
    struct Game {
        var room: String
        /// The final checksum, when every bot of this process that played it ended with the same one.
        var finalChecksum: StateChecksum?
        var ticks: Int
        var stallBasisPoints: Int
        var droppedPlayers: [Int]
        var desyncs: Int
        var replays: [String]
        var failures: [String]
    }

    var games: [Game] = []
    var botFailures: [String] = []
    /// The first failure to get into a room (exit status 2).
    var joinFailure: BotFailure?

    init(reports: [BotReport]) {
        for report in reports {
            if case .failed(let failure) = report.status {
                botFailures.append("\(report.name): \(failure)")
                if failure.isJoinFailure, joinFailure == nil { joinFailure = failure }
            }
        }
        let gameCount = reports.map(\.results.count).max() ?? 0
        for index in 0..<gameCount {
            let results = reports.compactMap { $0.results.count > index ? $0.results[index] : nil }
            let checksums = results.map(\.finalChecksum)
            let ticks = results.map(\.ticks)
            var failures = results.flatMap { result in result.failures.map { "slot \(result.slot.index): \($0)" } }
            let agreed = Set(checksums).count == 1 && Set(ticks).count == 1
            if !agreed {
                failures.append("bots ended with different states: " + zip(results, checksums).map { "slot \($0.slot.index) tick \($0.ticks) \($1)" }.joined(separator: ", "))
            }
            let frames = results.reduce(0) { $0 + $1.frames }
            games.append(Game(
                room: results[0].room, finalChecksum: agreed ? checksums[0] : nil, ticks: ticks.max() ?? 0,
                stallBasisPoints: frames == 0 ? 0 : results.reduce(0) { $0 + $1.stallTicks } * 10_000 / frames,
                droppedPlayers: Array(Set(results.flatMap(\.droppedPlayers))).sorted(),
                desyncs: results.reduce(0) { $0 + $1.desyncs }, replays: results.compactMap(\.replayPath), failures: failures))
        }
    }

    /// Every bot played all its games, and every game finished in agreement.
    var allAgreed: Bool { botFailures.isEmpty && games.allSatisfy { $0.failures.isEmpty } }

    var json: String {
        var object = JSONText()
        object.field("gamesPlayed", int: games.count)
        object.field("games", JSONText.array(games.map { game in
            var entry = JSONText()
            entry.field("room", string: game.room)
            entry.field("finalChecksum", string: game.finalChecksum?.description)
            entry.field("ticks", int: game.ticks)
            entry.field("stallPercent", Self.hundredths(game.stallBasisPoints))
            entry.field("droppedPlayers", JSONText.array(game.droppedPlayers.map(String.init)))
            entry.field("desyncs", int: game.desyncs)
            entry.field("replays", JSONText.array(game.replays.map(JSONText.quoted)))
            entry.field("failures", JSONText.array(game.failures.map(JSONText.quoted)))
            return entry.object
        }))
        object.field("failures", JSONText.array(botFailures.map(JSONText.quoted)))
        // Every file written, in one place, as `meshplay sim --json` lists its own.
        object.field("replays", JSONText.array(games.flatMap(\.replays).map(JSONText.quoted)))
        return object.object
    }

    var text: String {
        var lines: [String] = []
        for (index, game) in games.enumerated() {
            lines.append("game \(index + 1) in room \(game.room): \(game.ticks) ticks, checksum \(game.finalChecksum?.description ?? "DISAGREE"), stalls \(Self.hundredths(game.stallBasisPoints))%, desyncs \(game.desyncs), dropped \(game.droppedPlayers), \(game.replays.count) replays")
            for failure in game.failures { lines.append("  FAILED: \(failure)") }
        }
        for failure in botFailures { lines.append("FAILED: \(failure)") }
        lines.append("\(games.count) games played")
        return lines.joined(separator: "\n")
    }

    static func hundredths(_ basisPoints: Int) -> String {
        "\(basisPoints / 100).\(basisPoints % 100 < 10 ? "0" : "")\(basisPoints % 100)"
    }
}
