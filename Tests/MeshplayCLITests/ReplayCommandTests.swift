import Foundation
import MeshplayTestSupport
import Testing

/// `meshplay replay` says why a file cannot be shown, before curses starts, with verify's exit status 2.
@Suite("meshplay replay files")
struct ReplayCommandTests {
    let directory: TemporaryDirectory

    init() throws { directory = try TemporaryDirectory(prefix: "replay-command") }

    func expectRefused(_ path: String, saying reason: String) throws {
        let result = try MeshplayBinary.run(["replay", path])
        #expect(result.exitCode == 2, "\(path): \(result.standardError)")
        #expect(result.standardError.contains(reason), "\(path): \(result.standardError)")
        #expect(result.standardOutput.isEmpty, "nothing drawn for \(path): \(result.standardOutput)")
    }

    @Test func aMissingFileSaysCannotOpenLikeVerify() async throws {
        try await OffThePool.wait {
            let missing = directory.path("missing.mpr")
            try expectRefused(missing, saying: "meshplay replay: cannot open \(missing): No such file or directory")
            #expect(try MeshplayBinary.run(["verify", missing]).exitCode == 2)
        }
    }

    @Test func aDirectorySaysCannotOpen() async throws {
        try await OffThePool.wait {
            try expectRefused(directory.url.path, saying: "cannot open \(directory.url.path): Is a directory")
        }
    }

    @Test func garbageAndEmptyFilesSayWhyTheyCannotBeShown() async throws {
        try await OffThePool.wait {
            let garbage = directory.path("garbage.mpr")
            try Data((0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) }).write(to: URL(fileURLWithPath: garbage))
            try expectRefused(garbage, saying: "cannot show \(garbage): at byte 0: not a Meshplay replay")
            let empty = directory.path("empty.mpr")
            try Data().write(to: URL(fileURLWithPath: empty))
            try expectRefused(empty, saying: "cannot show \(empty): at byte 0: truncated")
        }
    }

    /// Root reads any file, so the permission case runs only for other users.
    @Test(.enabled(if: getuid() != 0)) func anUnreadableFileSaysCannotOpen() async throws {
        try await OffThePool.wait {
            let locked = directory.path("locked.mpr")
            try Data([1, 2, 3]).write(to: URL(fileURLWithPath: locked))
            try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
            try expectRefused(locked, saying: "cannot open \(locked): Permission denied")
        }
    }
}
