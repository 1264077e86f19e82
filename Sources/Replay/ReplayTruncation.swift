import MeshplayCore

/// Where a file that ends without its trailer stops being readable.
public struct ReplayTruncation: Hashable, Sendable, CustomStringConvertible {
    /// Byte offset just past the last whole record (where the cut-off record starts).
    public var offset: Int
    /// How many ticks the whole records describe.
    public var tick: Tick

    public init(offset: Int, tick: Tick) {
        self.offset = offset
        self.tick = tick
    }

    public var description: String { "truncated at byte \(offset) after tick \(tick)" }
}
