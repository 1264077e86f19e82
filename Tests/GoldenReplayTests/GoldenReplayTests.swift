import Foundation
import MeshplayCore
import Replay
import Testing

/// One golden file, named in test output by its file name.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    let game: GoldenGame
    let match: GoldenMatch

    var testDescription: String { match.fileName }

    static let all = GoldenGame.all.flatMap { game in game.matches.map { GoldenCase(game: game, match: $0) } }
}

/// Replays committed under Golden/ must keep re-simulating to their recorded checksums:
/// a rules change that alters any outcome must come with a rules version bump (and then
/// new golden files; see Golden/README.md).
@Suite("Golden replays")
struct GoldenReplayTests {
    /// How to remake the files, for failure messages.
    static let regenerateHint = "\(GoldenStore.regenerateVariable)=1 swift test --filter GoldenReplayTests; see Tests/GoldenReplayTests/Golden/README.md"

    @Test("each golden replay re-simulates to its recorded checksums with today's rules", arguments: GoldenCase.all)
    func reSimulatesToItsChecksums(_ golden: GoldenCase) throws {
        let entry = try manifestEntry(for: golden)
        let current = golden.game.identity
        guard entry.game == current else {
            Issue.record("""
                \(golden.match.fileName) was recorded with \(entry.game) rules and the rules are now \(current): \
                after a deliberate version bump, record new golden replays. To regenerate: \(Self.regenerateHint)
                """)
            return
        }
        let report = ReplayVerifier.verify(path: GoldenStore.path(of: golden.match.fileName), catalog: GoldenGame.catalog)
        switch report.status {
        case .ok where report.finalChecksum == entry.finalChecksum && report.ticks == entry.ticks:
            break
        case .ok, .mismatch:
            Issue.record("""
                \(current) replays no longer re-simulate to their recorded checksums: a rules change needs a version bump \
                (\(golden.game.rulesName).identity.version), then new golden replays. \
                \(golden.match.fileName) should end after \(entry.ticks) ticks at \(entry.finalChecksum); \
                re-simulated today: \(report). To regenerate after the bump: \(Self.regenerateHint)
                """)
        case .malformed, .incomplete, .unreadable:
            Issue.record("\(golden.match.fileName) cannot be verified: \(report)")
        }
    }

    @Test("each golden replay parses and is byte for byte what today's encoder writes", arguments: GoldenCase.all)
    func writtenByTheCurrentEncoder(_ golden: GoldenCase) throws {
        let bytes = try goldenBytes(golden)
        let file: ReplayFile
        do {
            file = try ReplayFile(bytes: bytes)
        } catch {
            Issue.record("\(golden.match.fileName) no longer parses (\(error)): a format change needs ReplayFormat.version bumped")
            return
        }
        #expect(file.trailer != nil && file.truncation == nil, "\(golden.match.fileName) is truncated")
        #expect(file.header.game.id == golden.game.identity.id)
        #expect(file.header.players.count == golden.match.players)
        let reencoded = try file.reencoded()
        #expect(reencoded == bytes, """
            \(golden.match.fileName) is not what today's encoder writes for the same contents \
            (\(reencoded.count) bytes against \(bytes.count)): if the encoding changed on purpose, \
            regenerate the golden replays: \(Self.regenerateHint)
            """)
    }

    @Test("the manifest and the folder hold exactly the listed matches")
    func manifestListsEveryMatch() throws {
        let manifest = try GoldenStore.manifest.get()
        let listed = GoldenCase.all.map(\.match.fileName)
        #expect(Set(listed).count == listed.count, "two golden matches share a name")
        #expect(manifest.entries.map(\.fileName).sorted() == listed.sorted(), "to regenerate: \(Self.regenerateHint)")
        #expect(try GoldenStore.replayFileNames() == listed.sorted(), "to regenerate: \(Self.regenerateHint)")
    }

    @Test("golden replays stay small", arguments: GoldenCase.all)
    func small(_ golden: GoldenCase) throws {
        let size = try goldenBytes(golden).count
        #expect(size <= 8 * 1024, "\(golden.match.fileName) is \(size) bytes: keep golden matches short")
    }

    private func manifestEntry(for golden: GoldenCase) throws -> GoldenManifest.Entry {
        let manifest = try GoldenStore.manifest.get()
        return try #require(manifest.entry(for: golden.match.fileName), "no manifest line for \(golden.match.fileName); to regenerate: \(Self.regenerateHint)")
    }

    private func goldenBytes(_ golden: GoldenCase) throws -> [UInt8] {
        _ = try GoldenStore.manifest.get()  // regenerates first when asked to
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: GoldenStore.path(of: golden.match.fileName))))
    }
}
