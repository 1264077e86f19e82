/// A point in monotonic time, in nanoseconds from an arbitrary origin.
///
/// Protocol cores never read a clock: the shell passes `now` in. Over real UDP
/// it comes from the monotonic clock; in the simulated network it is virtual
/// time, so a seeded run replays exactly.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static let zero = Timestamp(nanoseconds: 0)

    public static func milliseconds(_ value: UInt64) -> Timestamp { Timestamp(nanoseconds: value &* 1_000_000) }

    /// This instant moved by `span` (saturating at zero and at the maximum).
    public func adding(_ span: TimeSpan) -> Timestamp {
        if span.nanoseconds >= 0 {
            let (sum, overflow) = nanoseconds.addingReportingOverflow(UInt64(span.nanoseconds))
            return Timestamp(nanoseconds: overflow ? .max : sum)
        }
        let magnitude = span.nanoseconds.magnitude
        return Timestamp(nanoseconds: nanoseconds > magnitude ? nanoseconds - magnitude : 0)
    }

    /// The signed span from `earlier` to this instant.
    public func since(_ earlier: Timestamp) -> TimeSpan {
        if nanoseconds >= earlier.nanoseconds {
            return TimeSpan(nanoseconds: Int64(clamping: nanoseconds - earlier.nanoseconds))
        }
        return TimeSpan(nanoseconds: -Int64(clamping: earlier.nanoseconds - nanoseconds))
    }

    public static func + (lhs: Timestamp, rhs: TimeSpan) -> Timestamp { lhs.adding(rhs) }
    public static func - (lhs: Timestamp, rhs: Timestamp) -> TimeSpan { lhs.since(rhs) }
    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String { "\(nanoseconds / 1_000_000).\(threeDigits(nanoseconds / 1000 % 1000))ms" }
}

/// A signed length of time in nanoseconds. Integer-only, so it can take part in
/// deterministic decisions (unlike `Double` seconds).
public struct TimeSpan: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    public static let zero = TimeSpan(nanoseconds: 0)
    public static func microseconds(_ value: Int64) -> TimeSpan { TimeSpan(nanoseconds: value &* 1000) }
    public static func milliseconds(_ value: Int64) -> TimeSpan { TimeSpan(nanoseconds: value &* 1_000_000) }
    public static func seconds(_ value: Int64) -> TimeSpan { TimeSpan(nanoseconds: value &* 1_000_000_000) }

    public var microseconds: Int64 { nanoseconds / 1000 }
    public var milliseconds: Int64 { nanoseconds / 1_000_000 }

    public static func + (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan { TimeSpan(nanoseconds: lhs.nanoseconds &+ rhs.nanoseconds) }
    public static func - (lhs: TimeSpan, rhs: TimeSpan) -> TimeSpan { TimeSpan(nanoseconds: lhs.nanoseconds &- rhs.nanoseconds) }
    public static func * (lhs: TimeSpan, rhs: Int64) -> TimeSpan { TimeSpan(nanoseconds: lhs.nanoseconds &* rhs) }
    public static func / (lhs: TimeSpan, rhs: Int64) -> TimeSpan { TimeSpan(nanoseconds: lhs.nanoseconds / rhs) }
    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String { "\(nanoseconds / 1_000_000)ms" }
}

/// Three digits with leading zeros.
func threeDigits(_ value: UInt64) -> String {
    let digits = "\(value)"
    return String(repeating: "0", count: max(0, 3 - digits.count)) + digits
}
