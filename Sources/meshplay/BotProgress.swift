import Foundation
import Netplay

/// What `meshplay bot` says on stderr while it plays: a line when its first bot gets into
/// a room, when each game starts and when it ends, so a run of minutes is not silent.
///
/// Only the first bot speaks: the others of the process play the same games, and sixteen
/// copies of every line would bury the one that matters.
struct BotProgress {
    let name: String
    private var gamesStarted = 0

    init(name: String) { self.name = name }

    /// The lines for `events`, in order; most events say nothing.
    mutating func lines(for events: [NodeEvent]) -> [String] {
        events.compactMap { event in
            switch event {
            case .joinedRoom(let settings):
                return "\(name) in room \(settings.name) (\(settings.game.id), \(settings.map), \(settings.playerCap) players)"
            case .matchStarted(_, let players, _):
                gamesStarted += 1
                return "\(name): game \(gamesStarted) started, \(players.count) players"
            case .playerDropped(_, let player):
                return "\(name): \(player) dropped"
            case .rejoined(_, let tick):
                gamesStarted += 1
                return "\(name): back in its seat of game \(gamesStarted) from tick \(tick)"
            case .watchStarted(let players, let game):
                return "\(name): watching \(game.id), \(players.count) players"
            case .watchEnded(nil, let tick, _, _):
                return "\(name): watched to tick \(tick)"
            case .watchEnded(let problem?, _, _, _):
                return "\(name): could not take its seat again: \(problem)"
            case .playerRejoined(_, let player):
                return "\(name): \(player) rejoined"
            case .matchEnded(let report):
                return "\(name): game \(gamesStarted) ended at tick \(report.ticks)\(report.failures.isEmpty ? "" : ", failed")"
            default:
                return nil
            }
        }
    }

    /// Writes the lines for `events` to stderr.
    mutating func report(_ events: [NodeEvent]) {
        for line in lines(for: events) { FileHandle.standardError.write(Data("meshplay bot: \(line)\n".utf8)) }
    }
}
