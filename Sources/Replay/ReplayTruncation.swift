import MeshplayCore

/// Where a file that ends without its trailer stops being readable.
public struct ReplayTruncation: Hashable, Sendable, CustomStringConvertible {
    /// Byte offset just past the last whole record (where the cut-off record starts).
    public var offset: Int
    /// How many ticks the whole records describe.
    public var tick: Tick

    /// A truncation after `offset` bytes and `tick` ticks.
    public init(offset: Int, tick: Tick) {
        self.offset = offset
        self.tick = tick
    }

    /// "truncated at byte N after tick T", the verifier's reason text.
    public var description: String { "truncated at byte \(offset) after tick \(tick)" }
}
