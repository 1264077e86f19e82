import Foundation
import MeshplayCore
import Replay
import Testing

/// Replays written before the format gained the trailer's early ending (version 1) keep
/// verifying: players' old files are evidence too.
@Suite("Replay format version 1")
struct FormatVersion1Tests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("FormatVersion1/snake-2p-open.mpr").path

    @Test func aVersion1FileStillVerifiesToItsChecksum() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.path)))
        #expect(bytes[8] == 1 && bytes[9] == 0, "the fixture is a version 1 file")
        let report = ReplayVerifier.verify(bytes: bytes, catalog: GoldenGame.catalog)
        #expect(report.status == .ok, "\(report)")
        #expect(report.ticks == 300)
        #expect(report.finalChecksum?.description == "91de600a588763a8")
        #expect(report.endedEarly == nil)
    }

    @Test func aFlippedByteInAVersion1FileIsStillCaught() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.path)))
        bytes[bytes.count / 2] ^= 0x10
        let report = ReplayVerifier.verify(bytes: bytes, catalog: GoldenGame.catalog)
        #expect(report.status == .malformed || report.status == .mismatch, "\(report)")
    }

    @Test func aFutureVersionIsRefusedByName() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.path)))
        bytes[8] = 4
        let report = ReplayVerifier.verify(bytes: bytes, catalog: GoldenGame.catalog)
        #expect(report.status == .malformed)
        #expect(report.error?.reason.contains("unsupported replay format version 4") == true, "\(report)")
    }
}
