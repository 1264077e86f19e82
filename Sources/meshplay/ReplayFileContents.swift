import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a replay file for the viewer, failing with the operating system's reason in
/// `meshplay verify`'s words: "cannot open PATH: No such file or directory".
enum ReplayFileContents {
    /// Why the file could not be read.
    struct OpenError: Error, CustomStringConvertible {
        var description: String
    }

    /// The largest file read whole (as `meshplay verify` allows): a replay is far smaller.
    static let maxBytes = 1 << 30

    /// The whole file at `path`.
    static func read(_ path: String) throws(OpenError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OpenError(description: "cannot open \(path): \(reason(errno))") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        // open(2) succeeds on a directory; the read would fail with a vaguer message.
        var status = stat()
        if fstat(fd, &status) == 0 {
            if status.st_mode & S_IFMT == S_IFDIR { throw OpenError(description: "cannot open \(path): \(reason(EISDIR))") }
            if Int(status.st_size) > maxBytes { throw OpenError(description: "cannot open \(path): larger than \(maxBytes) bytes") }
        }
        do {
            return [UInt8](try handle.readToEnd() ?? Data())
        } catch {
            throw OpenError(description: "cannot read \(path): \(error.localizedDescription)")
        }
    }

    private static func reason(_ code: Int32) -> String {
        strerror(code).map { String(cString: $0) } ?? "error \(code)"
    }
}
