import Foundation
import MeshplayTestSupport
import Testing

/// Runs the built `meshplay play --bots 3` inside a detached tmux session, plays with
/// keys as a person would, and checks what the pane shows, then that quitting gives
/// the shell back a sane terminal.
@Suite(.serialized) struct TmuxEndToEndTests {
    static let tmuxPath = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"))
    func playAMatchChatAndQuit() async throws {
        try await OffThePool.wait {
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
            // The bots are real peers on loopback: the match starts after the room's countdown, and the status line shows their pings.
            try tmux.waitFor("Scores", what: "the running match", seconds: 30)
            try tmux.waitFor(where: { $0.range(of: #"bot1 \d+ms \d+%"#, options: .regularExpression) != nil }, what: "the bots' pings on the status line")
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
    }

    /// SIGTERM and SIGHUP sent with kill(2), SIGINT typed as Ctrl-C, and SIGSEGV and SIGABRT (what
    /// an internal error raises): each ends the client with status 128+N and leaves the
    /// terminal in its normal modes.
    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed: the terminal end-to-end test is skipped"),
          arguments: [SIGTERM, SIGHUP, SIGINT, SIGSEGV, SIGABRT])
    func signalsRestoreTheTerminal(signal: Int32) async throws {
        try await OffThePool.wait {
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
            try tmux.waitFor("Scores", what: "the running match", seconds: 30)
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
}

/// A private tmux server (its own socket) with one 80x24 pane running a plain shell, started
/// in the temporary folder so that nothing a test leaves (a core file, say) lands in the repository.
final class Tmux {
    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    let executable: String
    let socket = "meshplay-test-\(getpid())-\(UInt16.random(in: 0 ... .max))"

    init(executable: String) throws {
        self.executable = executable
        try run(["new-session", "-d", "-c", NSTemporaryDirectory(), "-x", "80", "-y", "24", "env", "-i", "TERM=screen", "LANG=C.UTF-8",
                 "HOME=\(NSTemporaryDirectory())", "PATH=/usr/bin:/bin", "PS1=PROMPT$ ", "bash", "--norc", "--noprofile"])
        _ = try? waitFor("PROMPT$", what: "the shell")
    }

    /// Runs one tmux command (killed after 20 s). ChildProcess rather than Foundation's
    /// Process: the server `new-session` forks would inherit Process's exit-watching socket
    /// and any pipe, and waiting for either would last as long as the server lives.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let result = try ChildProcess.run(executable, ["-L", socket] + arguments, timeout: 20)
        guard result.status != nil else { throw Timeout(description: "tmux \(arguments.first ?? "") did not finish within 20 s") }
        return result.standardOutput
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
