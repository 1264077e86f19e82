#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A single self-overwriting progress line on stderr (only used when stderr is a terminal).
enum ProgressLine {
    /// Whether stderr is a terminal, where a line that rewrites itself reads as progress;
    /// in a pipe or a CI log it would be noise.
    static var isShown: Bool { isatty(STDERR_FILENO) != 0 }

    static func show(_ text: String) { writeStandardError("\r\u{1B}[K" + text) }

    static func clear() { writeStandardError("\r\u{1B}[K") }

    /// Writes at once (stderr is unbuffered here), for partial lines as well.
    static func writeStandardError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}

/// A progress line for a long loop: shown on a terminal only, and redrawn at most once per
/// `interval`, so a loop can offer it every step for the price of a clock read.
struct ThrottledProgress {
    private let interval: Duration
    private var next: ContinuousClock.Instant
    private var shown = false

    /// Nothing is shown before `interval` has passed: a short run stays silent.
    init(interval: Duration = .seconds(2)) {
        self.interval = interval
        next = ContinuousClock.now + interval
    }

    /// Redraws the line with `text` when the interval is up.
    mutating func update(_ text: @autoclosure () -> String) {
        let now = ContinuousClock.now
        guard now >= next else { return }
        next = now + interval
        shown = true
        ProgressLine.show(text())
    }

    /// Removes the line, if it was ever drawn, before the command prints its result.
    func finish() {
        if shown { ProgressLine.clear() }
    }
}
