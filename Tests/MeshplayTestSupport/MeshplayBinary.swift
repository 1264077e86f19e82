import Foundation

/// The `meshplay` executable SwiftPM built beside the running test bundle.
public enum MeshplayBinary {
    public static let path: String = {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        // On Linux the runner is `<products>/MeshplayPackageTests.xctest`; on macOS a bundle inside it.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("meshplay").path),
              directory.pathComponents.count > 1 {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("meshplay").path
    }()

    /// Runs `meshplay ARGUMENTS` to completion (killed after `timeout` seconds).
    public static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 120) throws -> ChildProcess.Result {
        try ChildProcess.run(path, arguments, environment: environment, timeout: timeout)
    }

    /// Runs `meshplay ARGUMENTS` to completion, waiting without holding a cooperative thread (see `ChildProcess.runAsync`).
    public static func runAsync(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 120) async throws -> ChildProcess.Result {
        try await ChildProcess.runAsync(path, arguments, environment: environment, timeout: timeout)
    }

    /// Waits until `file` says `listening on 127.0.0.1:PORT` (or `[::]:PORT`, a dual-stack
    /// socket) and returns the port (nil after `timeout` seconds).
    public static func listeningPort(in file: String, timeout: Double = 60) -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            for prefix in ["listening on 127.0.0.1:", "listening on [::]:"] {
                guard let range = text.range(of: prefix) else { continue }
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }
}
