/// A replay could not be written: the writer was used out of order, a value is
/// outside the format's limits, or the file system refused.
public struct ReplayWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What went wrong, for a person to read.
    public var message: String
    /// The POSIX `errno` when a system call failed.
    public var errno: Int32?

    /// An error with a message and, for a failed system call, its errno.
    public init(_ message: String, errno: Int32? = nil) {
        self.message = message
        self.errno = errno
    }

    /// The message, with the errno when there is one.
    public var description: String {
        if let errno { return "\(message) (errno \(errno))" }
        return message
    }
}
