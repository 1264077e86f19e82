import MeshplayCore

/// How the simulated network treats every datagram.
struct NetworkConditions {
    var latency: TimeSpan = .milliseconds(20)
    /// Each datagram's latency is `latency` plus a uniform draw in `-jitter ... +jitter`.
    var jitter: TimeSpan = .milliseconds(5)
    var lossPercent: UInt64 = 0
    var duplicatePercent: UInt64 = 0
    /// Share of datagrams held back up to two extra tick periods (reordering).
    var reorderPercent: UInt64 = 0

    static let perfect = NetworkConditions(latency: .milliseconds(10), jitter: .zero)
}

/// A seeded in-memory network in virtual time: it decides each datagram's fate
/// (lost, delayed, duplicated, held back) from its own `SeededRandom`.
struct SimulatedLossyNetwork {
    var conditions: NetworkConditions
    private var random: SeededRandom
    /// Return true to drop a datagram from `from` to `to` at `now` (partitions, muted peers).
    var blocks: (_ from: PlayerSlot, _ to: PlayerSlot, _ now: Timestamp) -> Bool = { _, _, _ in false }

    init(conditions: NetworkConditions, seed: UInt64) {
        self.conditions = conditions
        self.random = SeededRandom(seed: seed)
    }

    /// The arrival times of the copies of one datagram sent at `now` (empty when lost).
    mutating func arrivals(from: PlayerSlot, to: PlayerSlot, at now: Timestamp) -> [Timestamp] {
        guard !blocks(from, to, now) else { return [] }
        guard random.next(below: 100) >= conditions.lossPercent else { return [] }
        var times = [now + delay()]
        if random.next(below: 100) < conditions.duplicatePercent { times.append(now + delay()) }
        return times
    }

    private mutating func delay() -> TimeSpan {
        let spread = UInt64(max(0, conditions.jitter.nanoseconds)) * 2 + 1
        var span = conditions.latency - conditions.jitter + TimeSpan(nanoseconds: Int64(random.next(below: spread)))
        if random.next(below: 100) < conditions.reorderPercent {
            span = span + TimeSpan(nanoseconds: Int64(random.next(below: 66_000_000)))
        }
        return max(span, .zero)
    }
}
