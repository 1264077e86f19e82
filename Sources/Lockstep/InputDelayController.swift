/// Chooses the local input delay from the slack other peers report for our inputs.
///
/// A peer reports the smallest margin by which our inputs beat their tick's
/// deadline over a recent window. Below `lowWater` we raise the delay by the
/// missing ticks at once (stalls are worse than lag); when every peer reports
/// more than `highWater` for a whole window we lower it by one tick. After a
/// change, reports are ignored until their window starts at or after the first
/// tick scheduled under the new delay, so one cause never acts twice.
struct InputDelayController: Sendable {
    private(set) var current: Int
    let minimum: Int
    let maximum: Int
    let periodMicroseconds: Int64
    /// The first tick of our stream scheduled under `current`.
    private(set) var effectiveFrom = 0

    var lowWater: Int64 { periodMicroseconds / 2 }
    var highWater: Int64 { lowWater + periodMicroseconds + periodMicroseconds / 4 }

    init(initial: Int, minimum: Int, maximum: Int, periodMicroseconds: Int64) {
        self.current = initial
        self.minimum = minimum
        self.maximum = maximum
        self.periodMicroseconds = max(1, periodMicroseconds)
    }

    /// The new delay, or nil to keep the current one.
    /// - Parameters:
    ///   - reports: the latest report of every live peer (nil when none yet).
    ///   - nextScheduledTick: the first tick of our stream not yet scheduled.
    ///   - canLower: lowering drops a sample; the caller allows it only when nothing would be lost.
    mutating func decide(reports: [SlackReport?], nextScheduledTick: Int, canLower: Bool) -> Int? {
        var smallest = Int64.max
        var allValid = !reports.isEmpty
        for report in reports {
            guard let report, Int(report.windowStart) >= effectiveFrom else {
                allValid = false
                continue
            }
            smallest = min(smallest, report.minimumSlackMicroseconds)
        }
        var wanted = current
        if smallest < lowWater {
            let missing = (lowWater - smallest + periodMicroseconds - 1) / periodMicroseconds
            wanted = current + Int(max(1, min(missing, Int64(maximum))))
        } else if allValid, smallest > highWater, canLower {
            wanted = current - 1
        }
        wanted = min(max(wanted, minimum), maximum)
        guard wanted != current else { return nil }
        current = wanted
        effectiveFrom = nextScheduledTick
        return wanted
    }
}
