/// A simulation step number. Tick 0 is the first step a game takes.
///
/// Ticks are 32-bit: at 60 Hz that is over two years of play, so overflow is
/// not a practical concern, and it keeps the wire and replay encodings small.
public struct Tick: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ value: UInt32) { self.rawValue = value }

    public static let zero = Tick(0)

    /// The tick `count` steps later. Saturates rather than trapping on hostile input.
    public func advanced(by count: UInt32) -> Tick {
        let (sum, overflow) = rawValue.addingReportingOverflow(count)
        return Tick(overflow ? .max : sum)
    }

    /// The next tick.
    public var next: Tick { advanced(by: 1) }

    public static func < (lhs: Tick, rhs: Tick) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}
