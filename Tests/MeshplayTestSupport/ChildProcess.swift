import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program started by a test, built so that no test can hang on it.
///
/// Foundation's `Process` is not used: on Linux it watches each child through a socket the
/// child inherits, and it closes the parent's other descriptors in the child from a list
/// taken before spawning. A pipe or socket another test thread opens in between leaks into
/// the child, and whoever waits for that pipe's end of file, or for the leaking child's
/// exit, then waits as long as an unrelated process lives (a tmux server, a bot): a hang
/// seen once in CI. Here the child opens its own output files, every other descriptor is
/// closed in the child itself, and every wait has a deadline after which the child's whole
/// process group is killed.
public final class ChildProcess: @unchecked Sendable {
    /// How a child ended.
    public enum Status: Equatable, Sendable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        public var description: String {
            switch self {
            case .exited(let code): "exit \(code)"
            case .signaled(let signal): "signal \(signal)"
            }
        }
    }

    /// What a program run to completion printed, and how it ended (nil: killed at the deadline).
    public struct Result: Sendable {
        public var status: Status?
        public var standardOutput: String
        public var standardError: String

        /// The exit code, or -1 when it was killed by a signal or at the deadline.
        public var exitCode: Int32 {
            if case .exited(let code) = status { return code }
            return -1
        }
    }

    public struct SpawnError: Error, CustomStringConvertible {
        public var description: String
    }

    public let pid: pid_t
    /// Where the child's standard output and standard error go.
    public let standardOutputPath: String
    public let standardErrorPath: String
    private let lock = NSLock()
    private var finished: Status?

    /// Starts `executable` with `arguments` in a process group of its own, with no signal
    /// blocked or ignored, standard input from /dev/null, and its output written to the two files.
    public init(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        standardOutput: String, standardError: String
    ) throws {
        standardOutputPath = standardOutput
        standardErrorPath = standardError
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, standardError, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        try Self.closeEverythingElse(&actions)

        // Test-runner threads block most signals and a child inherits that mask: a child that
        // cannot see SIGTERM or SIGINT would ignore the tests' own signals.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard status == 0 else { throw SpawnError(description: "cannot start \(executable): \(String(cString: strerror(status)))") }
        self.pid = pid
    }

    deinit { kill() }

    /// Closes every descriptor above 2 in the child. glibc's closefrom action runs in the
    /// child, so it also closes descriptors other threads open while this one spawns;
    /// glibc exports it without a Swift declaration, hence the lookup.
    private static func closeEverythingElse(_ actions: inout posix_spawn_file_actions_t) throws {
        typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        // Older C libraries: close what is open now (racy, but better than nothing).
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
    }

    /// How the child ended, or nil while it runs (never blocks).
    public var status: Status? {
        lock.lock()
        defer { lock.unlock() }
        if finished == nil { reap(options: WNOHANG) }
        return finished
    }

    public var isRunning: Bool { status == nil }

    /// Waits up to `timeout` seconds; nil if it still runs.
    @discardableResult
    public func wait(timeout: Double) -> Status? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status { return status }
            if Date() >= deadline { return nil }
            usleep(20_000)
        }
    }

    /// Sends `signal` to the child's process group (the child and anything it started).
    public func signal(_ signal: Int32) {
        guard isRunning else { return }
        _ = Glibc.kill(-pid, signal)
    }

    /// Asks politely (SIGTERM), then kills the group if it has not ended within `grace` seconds.
    public func stop(grace: Double = 5) {
        signal(SIGTERM)
        if wait(timeout: grace) == nil { kill() }
    }

    /// Kills the child's process group and reaps the child.
    public func kill() {
        lock.lock()
        defer { lock.unlock() }
        if finished == nil { reap(options: WNOHANG) }
        guard finished == nil else { return }
        _ = Glibc.kill(-pid, SIGKILL)
        _ = Glibc.kill(pid, SIGKILL)
        reap(options: 0)
    }

    /// Must hold `lock`.
    private func reap(options: Int32) {
        var raw: Int32 = 0
        var result: pid_t
        repeat { result = waitpid(pid, &raw, options) } while result == -1 && errno == EINTR
        if result == pid {
            let signal = raw & 0x7F
            finished = signal == 0 ? .exited((raw >> 8) & 0xFF) : .signaled(signal)
        } else if result == -1 {
            // Already reaped elsewhere or not our child: nothing more will be learnt.
            finished = .exited(-1)
        }
    }

    public var standardOutput: String { (try? String(contentsOfFile: standardOutputPath, encoding: .utf8)) ?? "" }
    public var standardError: String { (try? String(contentsOfFile: standardErrorPath, encoding: .utf8)) ?? "" }

    /// Runs a program to completion (killed after `timeout` seconds) and returns what it printed,
    /// waiting with `Task.sleep`: a long run does not hold a thread of the cooperative pool, which
    /// the suite's real-socket tests need (two threads on this machine kind).
    public static func runAsync(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 120
    ) async throws -> Result {
        let directory = try TemporaryDirectory(prefix: "child")
        let child = try ChildProcess(
            executable, arguments, environment: environment,
            standardOutput: directory.path("out"), standardError: directory.path("err"))
        let deadline = Date().addingTimeInterval(timeout)
        while child.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        let status = child.wait(timeout: 0)
        if status == nil { child.kill() }
        return Result(status: status, standardOutput: child.standardOutput, standardError: child.standardError)
    }

    /// Runs a program to completion (killed after `timeout` seconds) and returns what it printed.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 120
    ) throws -> Result {
        let directory = try TemporaryDirectory(prefix: "child")
        let child = try ChildProcess(
            executable, arguments, environment: environment,
            standardOutput: directory.path("out"), standardError: directory.path("err"))
        let status = child.wait(timeout: timeout)
        if status == nil { child.kill() }
        return Result(status: status, standardOutput: child.standardOutput, standardError: child.standardError)
    }
}
