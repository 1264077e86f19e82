#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The few POSIX file calls this module needs, with EINTR and short writes handled.
enum POSIXFile {
    /// The largest replay file read into memory.
    static let maxReadBytes = 1 << 30

    /// The current `errno`.
    static var lastError: Int32 { errno }

    /// The text of a POSIX error number.
    static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    /// Closes a descriptor (a free function here, where no `close` method shadows it).
    static func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }

    /// The whole contents of the file at `path`.
    static func readAll(path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = lastError
            throw ReplayWriteError("cannot open \(path): \(describe(code))", errno: code)
        }
        defer { _ = close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = lastError
                if code == EINTR { continue }
                throw ReplayWriteError("cannot read \(path): \(describe(code))", errno: code)
            }
            if count == 0 { return bytes }
            guard bytes.count + count <= maxReadBytes else { throw ReplayWriteError("\(path) is larger than \(maxReadBytes) bytes") }
            bytes.append(contentsOf: chunk[0..<count])
        }
    }

    /// Writes all of `bytes` to `fd`, retrying after interruptions and short writes.
    static func writeAll(fd: Int32, _ bytes: [UInt8]) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                let code = lastError
                if code == EINTR { continue }
                throw ReplayWriteError("write failed: \(describe(code))", errno: code)
            }
            written += count
        }
    }
}
