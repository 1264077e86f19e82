#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain append-only log file. While curses owns the screen nothing may be printed,
/// so everything the client wants to say goes here (or nowhere, without `--log-file`).
public final class FileLog: @unchecked Sendable {
    // Unchecked: used from the UI thread only; the descriptor never changes after init.
    private let fd: Int32

    /// Appends to `path`; with nil, or if the file cannot be opened, logging is off.
    public init(path: String?) {
        if let path {
            fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        } else {
            fd = -1
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    /// Whether lines are being written anywhere.
    public var isEnabled: Bool { fd >= 0 }

    /// Writes one line with a wall-clock time stamp.
    public func log(_ message: String) {
        guard fd >= 0 else { return }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let line = "\(now.tv_sec).\(threeDigits(Int(now.tv_nsec) / 1_000_000)) \(message)\n"
        var bytes = Array(line.utf8)
        _ = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
    }

    private func threeDigits(_ value: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, 3 - text.count)) + text
    }
}
