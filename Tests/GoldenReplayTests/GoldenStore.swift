import Foundation
import MeshplayCore
import Replay

/// Where the golden replays live (`Golden/` beside this file, in the source tree), and
/// their deliberate regeneration.
enum GoldenStore {
    /// Set to 1 to record every golden replay afresh before the tests read them.
    static let regenerateVariable = "MESHPLAY_REGENERATE_GOLDEN"

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path

    static func path(of fileName: String) -> String { directory + "/" + fileName }

    static var manifestPath: String { path(of: "manifest.txt") }

    /// The manifest, read once for all tests; regenerated first when asked to.
    static let manifest: Result<GoldenManifest, any Error> = Result {
        if ProcessInfo.processInfo.environment[regenerateVariable] == "1" { try regenerate() }
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
        return try GoldenManifest(text: text)
    }

    /// The names of the golden files on disk.
    static func replayFileNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mpr") }.sorted()
    }

    /// Records every match of every golden game with the current rules, encoder and bots,
    /// replacing the old files (those of matches no longer listed are removed), and
    /// writes the manifest from the new files' trailers.
    static func regenerate() throws {
        for name in try replayFileNames() { try FileManager.default.removeItem(atPath: path(of: name)) }
        var entries: [GoldenManifest.Entry] = []
        for game in GoldenGame.all {
            for match in game.matches {
                let writer = try ReplayFileWriter(path: path(of: match.fileName), mode: .createNew)
                try match.play(game, into: writer)
                let file = try ReplayFile(bytes: [UInt8](try Data(contentsOf: URL(fileURLWithPath: writer.path))))
                guard let trailer = file.trailer else { throw ReplayWriteError("\(match.fileName) has no trailer") }
                entries.append(GoldenManifest.Entry(
                    fileName: match.fileName, game: game.identity, ticks: Int(trailer.finalTick.rawValue),
                    finalChecksum: trailer.finalChecksum))
            }
        }
        try GoldenManifest(entries: entries).text.write(toFile: manifestPath, atomically: true, encoding: .utf8)
    }
}
