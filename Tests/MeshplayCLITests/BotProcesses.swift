import Foundation

/// `meshplay bot` processes for end-to-end tests: output goes to files (so nothing can
/// block on a full pipe), every process is ended when the test is done.
final class BotProcesses {
    let directory: URL
    private var processes: [(process: Process, name: String)] = []

    init(directory: URL) { self.directory = directory }

    deinit { terminateAll() }

    /// Starts `meshplay` with `arguments`; its stdout and stderr go to `NAME.out` and `NAME.err`.
    @discardableResult
    func launch(_ name: String, _ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = MeshplayProcess.executable
        process.arguments = arguments
        let out = directory.appendingPathComponent("\(name).out")
        let err = directory.appendingPathComponent("\(name).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        processes.append((process, name))
        return process
    }

    /// The port the first bot of process `name` says it listens on (waits up to `timeout` seconds).
    /// `meshplay resolver` says it on standard output rather than standard error.
    func listeningPort(of name: String, onStandardOutput: Bool = false, timeout: Double = 60) throws -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        let file = "\(name).\(onStandardOutput ? "out" : "err")"
        while Date() < deadline {
            let text = (try? String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)) ?? ""
            if let range = text.range(of: "listening on 127.0.0.1:") {
                let digits = text[range.upperBound...].prefix { $0.isNumber }
                if let port = Int(digits) { return port }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return nil
    }

    /// Waits for every process (up to `timeout` seconds, then ends them); returns their exit statuses by name.
    func waitAll(timeout: Double) -> [String: Int32] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, processes.contains(where: { $0.process.isRunning }) { Thread.sleep(forTimeInterval: 0.1) }
        terminateAll()
        var statuses: [String: Int32] = [:]
        for (process, name) in processes {
            process.waitUntilExit()
            statuses[name] = process.terminationStatus
        }
        return statuses
    }

    /// Waits for process `name` alone (up to `timeout` seconds, then ends it); returns its exit status.
    func wait(for name: String, timeout: Double) -> Int32? {
        guard let process = processes.first(where: { $0.name == name })?.process else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, process.isRunning { Thread.sleep(forTimeInterval: 0.1) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }

    func output(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("\(name).out"), encoding: .utf8)) ?? ""
    }

    func errors(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("\(name).err"), encoding: .utf8)) ?? ""
    }

    func terminateAll() {
        for (process, _) in processes where process.isRunning { process.terminate() }
    }
}
