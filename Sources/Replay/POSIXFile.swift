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

    /// Creates `path` for writing (mode 0644): `exclusive` fails if it exists, else it is truncated.
    static func create(path: String, exclusive: Bool) throws -> Int32 {
        let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (exclusive ? O_EXCL : O_TRUNC)
        while true {
            let fd = open(path, flags, 0o644)
            if fd >= 0 { return fd }
            let code = lastError
            if code == EINTR { continue }
            throw ReplayWriteError("cannot create \(path): \(describe(code))", errno: code)
        }
    }

    /// Flushes `fd` to the device. EINVAL (a pipe or device that cannot sync) is not an error.
    static func sync(fd: Int32, path: String) throws {
        guard fsync(fd) != 0 else { return }
        let code = lastError
        guard code != EINVAL else { return }
        throw ReplayWriteError("cannot sync \(path): \(describe(code))", errno: code)
    }

    /// Closes `fd`, reporting a failure (on some file systems the last write error appears here).
    static func closeChecked(fd: Int32, path: String) throws {
        guard closeDescriptor(fd) != 0 else { return }
        let code = lastError
        throw ReplayWriteError("cannot close \(path): \(describe(code))", errno: code)
    }

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

    /// Creates or replaces the small file at `path` with `contents`; nil on success, else the error.
    static func writeWholeFile(path: String, contents: [UInt8]) -> ReplayWriteError? {
        do {
            let fd = try create(path: path, exclusive: false)
            do {
                try writeAll(fd: fd, contents, path: path)
            } catch {
                _ = closeDescriptor(fd)
                throw error
            }
            try closeChecked(fd: fd, path: path)
            return nil
        } catch let error as ReplayWriteError {
            return error
        } catch {
            return ReplayWriteError("cannot write \(path): \(error)")
        }
    }

    /// Writes all of `bytes` to `fd`, retrying after interruptions and short writes.
    /// An error names `path` when given.
    static func writeAll(fd: Int32, _ bytes: [UInt8], path: String? = nil) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                write(fd, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                let code = lastError
                if code == EINTR { continue }
                let what = path.map { "cannot write \($0)" } ?? "write failed"
                throw ReplayWriteError("\(what): \(describe(code))", errno: code)
            }
            written += count
        }
    }
}
