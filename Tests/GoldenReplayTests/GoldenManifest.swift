import Foundation
import MeshplayCore

/// What each golden file must re-simulate to: `Golden/manifest.txt`, one line per file,
/// `NAME.mpr GAME-ID RULES-VERSION TICKS FINAL-CHECKSUM`; `#` starts a comment.
struct GoldenManifest: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var fileName: String
        /// The rules the file was recorded with.
        var game: GameIdentity
        var ticks: Int
        var finalChecksum: StateChecksum
    }

    var entries: [Entry]

    init(entries: [Entry]) {
        self.entries = entries
    }

    /// Parses the manifest's text.
    init(text: String) throws {
        entries = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let content = line.prefix { $0 != "#" }.trimmingCharacters(in: .whitespaces)
            guard !content.isEmpty else { continue }
            let fields = content.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard fields.count == 5, let version = UInt16(fields[2]), let ticks = Int(fields[3]),
                  let checksum = StateChecksum(hex: fields[4]) else {
                throw GoldenManifestError(line: index + 1, text: String(line))
            }
            entries.append(Entry(fileName: fields[0], game: GameIdentity(id: fields[1], version: version), ticks: ticks, finalChecksum: checksum))
        }
    }

    /// The manifest's text, as the regenerator writes it.
    var text: String {
        var lines = [
            "# Golden replays and what they must re-simulate to (see README.md).",
            "# file game rules-version ticks final-checksum",
        ]
        for entry in entries {
            lines.append("\(entry.fileName) \(entry.game.id) \(entry.game.version) \(entry.ticks) \(entry.finalChecksum)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func entry(for fileName: String) -> Entry? { entries.first { $0.fileName == fileName } }
}

/// A manifest line that does not have the five fields.
struct GoldenManifestError: Error, CustomStringConvertible {
    var line: Int
    var text: String
    var description: String { "manifest.txt line \(line) is not \"file game version ticks checksum\": \(text)" }
}
