#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Written once before any handler is installed, then only read (from handlers too).
nonisolated(unsafe) private var signalPipeWriteEnd: Int32 = -1
// The terminal settings from before curses started, for the crash handler.
nonisolated(unsafe) private var savedTerminalSettings = termios()
nonisolated(unsafe) private var haveSavedTerminalSettings = false

/// Turns SIGINT, SIGTERM and SIGHUP into a byte on a pipe (the self-pipe trick), so the
/// UI loop notices them between frames and leaves through its normal exit, which ends
/// curses. The handler itself only calls `write`, which is async-signal-safe.
///
/// Fatal signals (a Swift trap, a crash) cannot return to the loop: for those a handler
/// puts back the saved terminal settings with `tcsetattr` (also async-signal-safe),
/// leaves the alternate screen, and re-raises the signal with its default action.
final class SignalWatcher {
    static let quitSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    static let crashSignals: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]

    private let readEnd: Int32
    private let writeEnd: Int32
    private var installed = false
    /// What each signal did before, put back on `uninstall` (the Swift runtime's crash
    /// reporter, for one, then reports crashes after the client as it normally would).
    private var previousHandlers: [(Int32, __sighandler_t?)] = []
    /// The thread's signal mask before `init` unblocked the signals the client needs.
    private var previousMask = sigset_t()

    /// Creates the pipe and installs the handlers. Install before curses starts, so
    /// ncurses sees handlers in place and does not install its own for these signals.
    init() throws {
        var ends: [Int32] = [0, 0]
        guard pipe(&ends) == 0 else { throw CursesTerminal.OpenError(description: "cannot create the signal pipe") }
        readEnd = ends[0]
        writeEnd = ends[1]
        for fd in ends {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        signalPipeWriteEnd = writeEnd
        if tcgetattr(STDIN_FILENO, &savedTerminalSettings) == 0 { haveSavedTerminalSettings = true }
        for signal in Self.quitSignals {
            previousHandlers.append((signal, Glibc.signal(signal) { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(signalPipeWriteEnd, &byte, 1)
            }))
        }
        for signal in Self.crashSignals {
            previousHandlers.append((signal, Glibc.signal(signal) { number in
                if haveSavedTerminalSettings { _ = tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminalSettings) }
                // Leave the alternate screen and show the cursor again.
                var reset: [UInt8] = Array("\u{1B}[?1049l\u{1B}[?25h\r\n".utf8)
                _ = write(STDOUT_FILENO, &reset, reset.count)
                _ = Glibc.signal(number, SIG_DFL)
                _ = raise(number)
            }))
        }
        // The UI runs on whatever thread called it, and that thread may block these signals
        // (seen when the command runs inside Swift's async main): unblock them here, or
        // Ctrl-C, SIGTERM and resizes (SIGWINCH, which ncurses turns into KEY_RESIZE) never arrive.
        var needed = sigset_t()
        sigemptyset(&needed)
        for signal in Self.quitSignals + [SIGWINCH] { sigaddset(&needed, signal) }
        pthread_sigmask(SIG_UNBLOCK, &needed, &previousMask)
        installed = true
    }

    deinit {
        uninstall()
        close(readEnd)
        close(writeEnd)
    }

    /// The first signal that arrived since the last call, if any.
    func pending() -> Int32? {
        var byte: UInt8 = 0
        return read(readEnd, &byte, 1) == 1 ? Int32(byte) : nil
    }

    /// Puts the earlier actions back (after curses has ended): a second Ctrl-C then kills at once.
    func uninstall() {
        guard installed else { return }
        installed = false
        for (signal, handler) in previousHandlers { _ = Glibc.signal(signal, handler) }
        pthread_sigmask(SIG_SETMASK, &previousMask, nil)
    }

    static func name(_ number: Int32) -> String {
        switch number {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        case SIGHUP: "SIGHUP"
        default: "signal \(number)"
        }
    }
}
