import MeshplayCore

/// How the client looks: colour and glyph choices.
public struct TerminalOptions: Sendable {
    /// Draw only ASCII (`--ascii`).
    public var asciiOnly: Bool
    /// No colours (NO_COLOR set, or asked for).
    public var monochrome: Bool

    public init(asciiOnly: Bool, monochrome: Bool) {
        self.asciiOnly = asciiOnly
        self.monochrome = monochrome
    }

    /// NO_COLOR (any non-empty value) turns colour off: https://no-color.org convention.
    public static func monochromeRequested(environment: [String: String]) -> Bool {
        !(environment["NO_COLOR"] ?? "").isEmpty
    }
}

/// Why the loop ended.
public enum TerminalExit: Equatable, Sendable {
    /// The user quit.
    case quit
    /// SIGINT, SIGTERM or SIGHUP.
    case signal(Int32)
}

/// Runs a scene on the terminal: keys in, frames out, until it quits, a signal arrives
/// or something throws. On every one of those paths the scene is shut down and curses
/// is ended before this returns or rethrows, so the terminal is always left usable.
public enum TerminalLoop {
    /// The longest the loop sleeps waiting for a key, so signals are seen promptly.
    static let maximumWaitMilliseconds = 100

    public static func run(_ scene: some TerminalScene, options: TerminalOptions, log: FileLog) throws -> TerminalExit {
        let signals = try SignalWatcher()
        defer { signals.uninstall() }
        let terminal: CursesTerminal
        do {
            terminal = try CursesTerminal(monochrome: options.monochrome, asciiOnly: options.asciiOnly)
        } catch {
            scene.shutdown()
            throw error
        }
        defer {
            scene.shutdown()
            terminal.close()
        }
        log.log("terminal open: \(terminal.size.width)x\(terminal.size.height), ascii \(terminal.drawsASCIIOnly)")
        var needsDraw = true
        var frames = 0
        var drawNanoseconds: UInt64 = 0
        defer { log.log("frames drawn: \(frames), drawing CPU \(drawNanoseconds / 1_000_000) ms") }
        while true {
            if let signal = signals.pending() {
                log.log("leaving on \(SignalWatcher.name(signal))")
                return .signal(signal)
            }
            let now = MonotonicClock.now()
            if scene.advance(now: now) { needsDraw = true }
            if needsDraw {
                let started = MonotonicClock.threadCPUTime()
                let size = terminal.size
                var buffer = CellBuffer(width: size.width, height: size.height, asciiOnly: terminal.drawsASCIIOnly)
                scene.draw(into: &buffer)
                terminal.present(buffer)
                drawNanoseconds += MonotonicClock.threadCPUTime() - started
                frames += 1
                needsDraw = false
            }
            let deadline = scene.nextDeadline(after: now)
            let wait = max(0, min(Int64(maximumWaitMilliseconds), ((deadline - MonotonicClock.now()).nanoseconds + 999_999) / 1_000_000))
            guard let key = terminal.readKey(timeoutMilliseconds: Int(wait)) else { continue }
            if key == .resize { terminal.invalidate() }
            needsDraw = true
            if !scene.handle(key, now: MonotonicClock.now()) {
                log.log("leaving: quit")
                return .quit
            }
        }
    }
}
