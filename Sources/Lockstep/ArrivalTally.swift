/// Counts, for one remote player, how early its inputs arrived here relative to
/// their tick becoming due, in whole tick periods, since the game started.
///
/// The counts only grow, so a report of them can be lost, repeated or reordered
/// without harm: the sender keeps the largest it has seen and works on differences
/// between two reports (see `InputDelayController`).
struct ArrivalTally: Sendable {
    /// The length of one tick, in microseconds.
    let periodMicroseconds: Int64
    private(set) var report = SlackReport()

    init(periodMicroseconds: Int64) { self.periodMicroseconds = max(1, periodMicroseconds) }

    /// An input of `tick` was simulated here `slackMicroseconds` after it arrived
    /// (negative: the tick was due before the input arrived).
    mutating func record(tick: Int, slackMicroseconds: Int64) {
        // Years of play at any tick rate before this saturates; then the counts stop, in step.
        guard report.samples < .max else { return }
        report.throughTick = max(report.throughTick, UInt32(clamping: tick))
        report.samples += 1
        for level in SlackReport.levels where slackMicroseconds < Int64(level) * periodMicroseconds {
            report.below[level - SlackReport.levels.lowerBound] += 1
        }
    }
}
