/// Chooses the local input delay during the game from what the other peers count of
/// our inputs' arrival (`SlackReport`), aiming at a stall target.
///
/// A frame at a peer freezes when one of our inputs arrives more than a tick period
/// after its tick was due there. Per link we may cause `stallTargetPerMillion / links`
/// frozen frames per million inputs. From two reports of a peer the controller knows,
/// for every nearby delay, how many of the inputs in between would have frozen:
///
/// - **Raise at once** when the inputs since a peer's previous report froze often
///   (at least 3, and a quarter of them): the network changed. The raise is by as
///   many ticks as the latest of them needed (up to 4 per step; it repeats if short).
/// - **Raise by one** when, over the recent window (1,000 to 2,000 inputs), more
///   than three times the target froze (at least 4 inputs).
/// - **Lower** when, over the last full window (1,000 inputs) of every peer, a
///   smaller delay would have kept frozen inputs under half the target: by as many
///   ticks (up to 4) as every link allows. So input lag follows the network down too.
///
/// After a change, reports are ignored until they cover ticks scheduled under the
/// new delay, so one cause never acts twice. Only integers: every run decides alike.
struct InputDelayController: Sendable {
    private(set) var current: Int
    let minimum: Int
    let maximum: Int
    let stallTargetPerMillion: Int64
    /// The first tick of our stream scheduled under `current`.
    private(set) var effectiveFrom = 0

    /// Per peer slot: the latest report, and the starts of the current and previous windows.
    private var latest: [SlackReport?]
    private var windowStart: [SlackReport?]
    private var previousWindowStart: [SlackReport?]
    /// Per peer slot, how many ticks lower the last full window allowed.
    private var lowerable: [Int]
    /// Ticks still to lower from the last decision, one per call where that is safe.
    private var pendingLowering = 0

    /// A recent window restarts after this many inputs; decisions look back one to two windows.
    static let windowSamples: Int64 = 1_000
    /// The most ticks one decision moves the delay.
    static let largestStep = 4

    init(initial: Int, minimum: Int, maximum: Int, stallTargetPerMillion: Int, playerCount: Int) {
        self.current = initial
        self.minimum = minimum
        self.maximum = maximum
        self.stallTargetPerMillion = Int64(max(1, stallTargetPerMillion))
        latest = Array(repeating: nil, count: playerCount)
        windowStart = latest
        previousWindowStart = latest
        lowerable = Array(repeating: 0, count: playerCount)
    }

    /// What happened to the inputs between two reports.
    private struct Span {
        let start: SlackReport
        let end: SlackReport
        init(from start: SlackReport, to end: SlackReport) {
            self.start = start
            self.end = end
        }
        var samples: Int64 { Int64(end.samples) - Int64(start.samples) }
        /// Inputs in the span with a slack under `level` periods.
        func below(_ level: Int) -> Int64 { end.count(below: level) - start.count(below: level) }
    }

    /// The new delay, or nil to keep the current one.
    /// - Parameters:
    ///   - reports: every live peer's slot and its latest report of our inputs (nil when none yet).
    ///   - nextScheduledTick: the first tick of our stream not yet scheduled.
    ///   - canLower: lowering skips samples; the caller allows it only when the first skipped one repeats the last.
    mutating func decide(reports: [(slot: Int, report: SlackReport?)], nextScheduledTick: Int, canLower: Bool) -> Int? {
        guard !reports.isEmpty else { return nil }
        let perLink = max(1, stallTargetPerMillion / Int64(reports.count))
        var raise = 0
        var lower = Self.largestStep
        for (slot, report) in reports {
            // Counts only grow: a report that is not newer in every count says nothing new.
            if let report, Int(report.throughTick) >= effectiveFrom, report.samples > latest[slot]?.samples ?? 0,
               latest[slot].map({ known in zip(known.below, report.below).allSatisfy { $0 <= $1 } }) ?? true {
                raise = max(raise, ingest(report, slot: slot, perLink: perLink))
            }
            lower = min(lower, lowerable[slot])
        }
        var wanted = current
        if raise > 0 {
            wanted = current + raise
            pendingLowering = 0
        } else if canLower, pendingLowering > 0 || lower > 0 {
            // One tick per call, each only where the skipped sample repeats the last:
            // lowering never loses an input.
            if pendingLowering == 0 { pendingLowering = lower }
            pendingLowering -= 1
            wanted = current - 1
        }
        wanted = min(max(wanted, minimum), maximum)
        guard wanted != current else { return nil }
        current = wanted
        effectiveFrom = nextScheduledTick
        latest = Array(repeating: nil, count: latest.count)
        windowStart = latest
        previousWindowStart = latest
        lowerable = Array(repeating: 0, count: lowerable.count)
        return wanted
    }

    /// Takes a newer report of `slot`; returns the raise it calls for (0: none).
    private mutating func ingest(_ report: SlackReport, slot: Int, perLink: Int64) -> Int {
        guard let known = latest[slot], let start = windowStart[slot] else {
            latest[slot] = report
            windowStart[slot] = report
            return 0
        }
        latest[slot] = report
        var raise = 0
        let recent = Span(from: known, to: report)
        let frozen = recent.below(-1)
        if frozen >= 3, frozen * 4 >= recent.samples {
            raise = (1 ... Self.largestStep).first { recent.below(-1 - $0) == 0 } ?? Self.largestStep
        }
        let window = Span(from: previousWindowStart[slot] ?? start, to: report)
        let windowFrozen = window.below(-1)
        if windowFrozen >= 4, windowFrozen * 1_000_000 > window.samples * 3 * perLink { raise = max(raise, 1) }
        // A full window closes: it alone says how far down the delay may go.
        let closing = Span(from: start, to: report)
        if closing.samples >= Self.windowSamples {
            lowerable[slot] = lowering(over: closing, perLink: perLink)
            previousWindowStart[slot] = start
            windowStart[slot] = report
        }
        return raise
    }

    /// How many ticks lower the delay could have been over a full `window` and still frozen under half the target.
    private func lowering(over window: Span, perLink: Int64) -> Int {
        // Lowered by k, an input freezes when its slack was under (k − 1) periods.
        return (1 ... Self.largestStep).last { window.below($0 - 1) * 2_000_000 <= window.samples * perLink } ?? 0
    }
}
