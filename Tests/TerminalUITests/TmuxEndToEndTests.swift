import Foundation
import Testing

/// Runs the built `meshplay play --bots 3` inside a detached tmux session, plays with
/// keys as a person would, and checks what the pane shows, then that quitting gives
/// the shell back a sane terminal.
@Suite(.serialized) struct TmuxEndToEndTests {
    static let tmuxPath = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"))
    func playAMatchChatAndQuit() throws {
        let tmux = try Tmux(executable: Self.tmuxPath!)
        defer { tmux.kill() }
        let replays = NSTemporaryDirectory() + "ui-e2e-replays-\(getpid())"
        let log = NSTemporaryDirectory() + "ui-e2e-\(getpid()).log"
        defer {
            try? FileManager.default.removeItem(atPath: replays)
            try? FileManager.default.removeItem(atPath: log)
        }
        tmux.type("clear; \(MeshplayBinary.path) play --bots 3 --name tess --replays \(replays) --log-file \(log)")
        tmux.keys("Enter")
        try tmux.waitFor("Members 4/8", what: "the room with three bots")
        tmux.keys("r")
        try tmux.waitFor("Scores", what: "the running match")
        try tmux.waitFor("local game: ping 0 ms", what: "the status line")
        let before = tmux.capture()
        tmux.keys("Up")
        tmux.keys("a")
        try tmux.waitFor(where: { $0.contains("tick") && $0 != before }, what: "the match advancing")
        tmux.keys("Enter")
        tmux.type("hello from tmux")
        tmux.keys("Enter")
        try tmux.waitFor("tess: hello from", what: "the chat line on screen")
        // KEY_RESIZE: a small window gets the notice, and the game comes back when it grows.
        _ = try tmux.run(["resize-window", "-x", "60", "-y", "20"])
        try tmux.waitFor("Terminal too small", what: "the too-small notice")
        _ = try tmux.run(["resize-window", "-x", "100", "-y", "30"])
        try tmux.waitFor(where: { $0.contains("Scores") && $0.split(separator: "\n").count >= 29 }, what: "the game at 100x30")
        tmux.keys("q")
        try tmux.waitFor("Leave the match and quit? y / n", what: "the quit question")
        tmux.keys("y")
        try tmux.waitFor("PROMPT$", what: "the shell prompt back", last: true)
        tmux.type("stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo|icrnl|opost)$' | tr '\\n' ' '; echo RESULT-$((40+2))")
        tmux.keys("Enter")
        try tmux.waitFor("RESULT-42", what: "stty output")
        let settings = tmux.capture()
        for flag in ["icanon", "echo", "icrnl", "opost"] {
            #expect(settings.contains(" \(flag) ") || settings.contains("\n\(flag) ") || settings.contains(" \(flag)\n"),
                    "terminal flag \(flag) is not restored:\n\(settings)")
            #expect(!settings.contains("-\(flag) "), "terminal flag \(flag) is still off:\n\(settings)")
        }
        let recorded = (try? FileManager.default.contentsOfDirectory(atPath: replays)) ?? []
        #expect(recorded.contains { $0.hasSuffix(".mpr") }, "a replay was recorded in \(replays)")
    }

    /// SIGTERM and SIGHUP sent with kill(2), SIGINT typed as Ctrl-C: each ends the client with
    /// status 128+N and leaves the terminal in its normal modes.
    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"),
          arguments: [SIGTERM, SIGHUP, SIGINT])
    func signalsRestoreTheTerminal(signal: Int32) throws {
        let tmux = try Tmux(executable: Self.tmuxPath!)
        defer { tmux.kill() }
        let pidFile = NSTemporaryDirectory() + "ui-e2e-pid-\(getpid())-\(signal)"
        let replays = NSTemporaryDirectory() + "ui-e2e-sig-\(getpid())"
        defer {
            try? FileManager.default.removeItem(atPath: pidFile)
            try? FileManager.default.removeItem(atPath: replays)
        }
        tmux.type("clear; sh -c 'echo $$ > \(pidFile); exec \(MeshplayBinary.path) play --bots 1 --replays \(replays)'; echo EXIT-STATUS-$?")
        tmux.keys("Enter")
        try tmux.waitFor("Members 2/8", what: "the room")
        tmux.keys("r")
        try tmux.waitFor("Scores", what: "the running match")
        if signal == SIGINT {
            tmux.keys("C-c")
        } else {
            let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            let pid = try #require(Int32(text))
            #expect(Foundation.kill(pid, signal) == 0)
        }
        try tmux.waitFor(where: { $0.contains("EXIT-STATUS-1") || $0.contains("EXIT-STATUS-0") }, what: "the client ending on signal \(signal)")
        #expect(tmux.capture().contains("EXIT-STATUS-\(128 + signal)"), "\(tmux.capture())")
        tmux.type("stty -a | tr ' ;' '\\n\\n' | grep -E '^-?(icanon|echo)$' | tr '\\n' ' '; echo RESULT-$((40+2))")
        tmux.keys("Enter")
        try tmux.waitFor("RESULT-42", what: "stty output")
        let settings = tmux.capture()
        #expect(!settings.contains("-icanon") && !settings.contains("-echo "), "terminal left in raw mode:\n\(settings)")
        #expect(settings.contains("icanon echo"), "\(settings)")
    }
}

/// The `meshplay` binary SwiftPM built beside this test bundle.
enum MeshplayBinary {
    static var path: String {
        let testBinary = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("meshplay").path),
              directory.pathComponents.count > 1 {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("meshplay").path
    }
}

/// A private tmux server (its own socket) with one 80x24 pane running a plain shell.
final class Tmux {
    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    let executable: String
    let socket = "meshplay-test-\(getpid())-\(UInt16.random(in: 0 ... .max))"

    init(executable: String) throws {
        self.executable = executable
        // The server this starts keeps any inherited pipe open: capture nothing from it.
        try run(["new-session", "-d", "-x", "80", "-y", "24", "env", "-i", "TERM=screen", "LANG=C.UTF-8",
                 "HOME=\(NSTemporaryDirectory())", "PATH=/usr/bin:/bin", "PS1=PROMPT$ ", "bash", "--norc", "--noprofile"],
                capture: false)
        _ = try? waitFor("PROMPT$", what: "the shell")
    }

    /// Runs tmux with posix_spawn rather than Foundation's Process: the tmux server that
    /// `new-session` forks would inherit Process's exit-watching socket and its output
    /// pipe, and waiting for either to close would then hang for as long as the server lives.
    @discardableResult
    func run(_ arguments: [String], capture: Bool = true) throws -> String {
        var output: [Int32] = [-1, -1]
        if capture { guard pipe(&output) == 0 else { throw Timeout(description: "pipe failed") } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if capture {
            posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        // Close every other inherited descriptor (addclose tolerates one closed meanwhile).
        let open = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
        for fd in open where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        let argv = ([executable, "-L", socket] + arguments).map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        // The test runner's threads block most signals, and a spawned process inherits that mask:
        // a tmux server and its shells would then ignore SIGHUP/SIGTERM and outlive kill-server.
        // Start tmux with nothing blocked and default signal actions.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        if capture { close(output[1]) }
        guard status == 0 else {
            if capture { close(output[0]) }
            throw Timeout(description: "cannot run tmux: error \(status)")
        }
        var bytes: [UInt8] = []
        if capture {
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(output[0], &chunk, chunk.count)
                if count <= 0 { break }
                bytes += chunk[0 ..< count]
            }
            close(output[0])
        }
        var exitStatus: Int32 = 0
        _ = waitpid(pid, &exitStatus, 0)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Types text literally.
    func type(_ text: String) { _ = try? run(["send-keys", "-l", text]) }

    /// Sends named keys ("Enter", "Up") or single characters.
    func keys(_ names: String...) { _ = try? run(["send-keys"] + names) }

    func capture() -> String { (try? run(["capture-pane", "-p"])) ?? "" }

    func waitFor(_ text: String, what: String, last: Bool = false, seconds: Double = 15) throws {
        try waitFor(where: { screen in
            guard last else { return screen.contains(text) }
            // The text must be on the last non-empty line (e.g. a fresh prompt).
            return screen.split(separator: "\n").last.map { $0.contains(text) } ?? false
        }, what: what, seconds: seconds)
    }

    func waitFor(where test: (String) -> Bool, what: String, seconds: Double = 15) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if test(capture()) { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw Timeout(description: "timed out waiting for \(what); the pane shows:\n\(capture())")
    }

    func kill() { _ = try? run(["kill-server"]) }
}
