/// Tracks, for one remote player, how early its inputs arrived here over the
/// last one to two spans of ticks (two buckets, so the window slides cheaply).
struct SlackWindow: Sendable {
    /// Ticks per bucket.
    let span: Int
    private var currentStart: Int?
    private var currentMinimum: Int64 = .max
    private var previousStart: Int?
    private var previousMinimum: Int64 = .max

    init(span: Int) { self.span = max(1, span) }

    mutating func record(tick: Int, slackMicroseconds: Int64) {
        if let start = currentStart, tick < start + span {
            currentMinimum = min(currentMinimum, slackMicroseconds)
            return
        }
        previousStart = currentStart
        previousMinimum = currentMinimum
        currentStart = tick
        currentMinimum = slackMicroseconds
    }

    /// The smallest slack over both buckets, once a full bucket exists.
    var report: SlackReport? {
        guard let previousStart, previousStart >= 0 else { return nil }
        return SlackReport(windowStart: UInt32(clamping: previousStart), minimumSlackMicroseconds: min(previousMinimum, currentMinimum))
    }
}
