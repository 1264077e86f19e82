import Foundation
import MeshplayTestSupport

/// `meshplay` processes for end-to-end tests: output goes to files (nothing can block on
/// a full or leaked pipe), every wait has a deadline, and every process is ended and
/// reaped when the test is done.
final class BotProcesses {
    let directory: URL
    private var processes: [(process: ChildProcess, name: String)] = []

    init(directory: URL) { self.directory = directory }

    deinit { stopAll() }

    /// Starts `meshplay` with `arguments`; its stdout and stderr go to `NAME.out` and `NAME.err`.
    @discardableResult
    func launch(_ name: String, _ arguments: [String]) throws -> ChildProcess {
        let process = try ChildProcess(
            MeshplayBinary.path, arguments,
            standardOutput: directory.appendingPathComponent("\(name).out").path,
            standardError: directory.appendingPathComponent("\(name).err").path)
        processes.append((process, name))
        return process
    }

    /// The port the first bot of process `name` says it listens on (waits up to `timeout` seconds).
    /// `meshplay resolver` says it on standard output rather than standard error.
    func listeningPort(of name: String, onStandardOutput: Bool = false, timeout: Double = 60) throws -> Int? {
        let file = directory.appendingPathComponent("\(name).\(onStandardOutput ? "out" : "err")").path
        return MeshplayBinary.listeningPort(in: file, timeout: timeout)
    }

    /// Waits for every process (up to `timeout` seconds, then ends them); returns their exit
    /// codes by name (-1: killed by a signal or at the deadline).
    func waitAll(timeout: Double) -> [String: Int32] {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, processes.contains(where: { $0.process.isRunning }) { Thread.sleep(forTimeInterval: 0.1) }
        stopAll()
        var codes: [String: Int32] = [:]
        for (process, name) in processes { codes[name] = Self.code(process.status) }
        return codes
    }

    /// Waits for process `name` alone (up to `timeout` seconds, then ends it); returns its exit code.
    func wait(for name: String, timeout: Double) -> Int32? {
        guard let process = processes.first(where: { $0.name == name })?.process else { return nil }
        if process.wait(timeout: timeout) == nil { process.stop() }
        return Self.code(process.status)
    }

    func output(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("\(name).out"), encoding: .utf8)) ?? ""
    }

    func errors(_ name: String) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("\(name).err"), encoding: .utf8)) ?? ""
    }

    /// SIGTERM to every process still running, SIGKILL to any that outlives a short grace.
    func stopAll() {
        for (process, _) in processes where process.isRunning { process.signal(SIGTERM) }
        for (process, _) in processes where process.wait(timeout: 5) == nil { process.kill() }
    }

    private static func code(_ status: ChildProcess.Status?) -> Int32 {
        if case .exited(let code) = status { return code }
        return -1
    }
}
