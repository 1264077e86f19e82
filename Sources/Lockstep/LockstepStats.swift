import MeshplayCore

/// Counters for `meshplay sim --json` and for tests.
public struct LockstepStats: Sendable, Equatable {
    /// Frames while running: `advance(at:)` (or `tick(at:)`) calls, one per tick period.
    public var tickCalls = 0
    /// Ticks simulated.
    public var ticksSimulated = 0
    /// Frames that froze: at the frame's start, the tick due at the previous frame
    /// was still waiting for someone (a late tick simulated before then is not a stall).
    public var stallTicks = 0
    /// The local input delay now, in ticks.
    public var inputDelay = 0
    public var delayRaises = 0
    public var delayLowers = 0
    /// Local sample time to the time its tick was simulated.
    public var inputLatency = LatencySummary()
    public var bytesSent = 0
    public var datagramsSent = 0
    public var largestDatagram = 0
    public var bytesReceived = 0
    public var datagramsReceived = 0
    /// Of `bytesSent`, the bytes that attestations and their acks added.
    public var attestationBytesSent = 0
    /// Peers' attestations whose signature did not hold here (not recorded).
    public var badAttestations = 0
    /// Datagrams that failed to decode (ignored).
    public var decodeErrors = 0
    /// Datagrams ignored because their sender was declared lost.
    public var ignoredFromLostPeers = 0

    public init() {}

    /// Stall ticks per ten thousand tick calls (integer, so it can be compared exactly).
    public var stallBasisPoints: Int { tickCalls == 0 ? 0 : stallTicks * 10_000 / tickCalls }
}

/// Count, sum, extremes and the most recent samples of a latency.
public struct LatencySummary: Sendable, Equatable {
    /// How many recent samples are kept.
    public static let recentCapacity = 256

    public private(set) var count = 0
    public private(set) var total = TimeSpan.zero
    public private(set) var minimum: TimeSpan?
    public private(set) var maximum: TimeSpan?
    /// Up to `recentCapacity` latest samples, oldest first.
    public private(set) var recent: [TimeSpan] = []
    /// Every sample counted by whole milliseconds: entry `i` counts samples in
    /// `i ..< i + 1` ms; the last entry counts everything from `histogramMilliseconds - 1` ms on.
    public private(set) var histogram: [Int] = []

    /// Milliseconds the histogram resolves (one entry each).
    public static let histogramMilliseconds = 2048

    public init() {}

    /// The sample at `permille` / 1000 of the sorted samples (nearest rank), in whole
    /// milliseconds, over this summary's histogram; nil without samples.
    public var medianMilliseconds: Int? { Self.percentile(permille: 500, of: histogram) }

    /// The nearest-rank percentile (`permille` in 0...1000) of a millisecond histogram.
    public static func percentile(permille: Int, of histogram: [Int]) -> Int? {
        let total = histogram.reduce(0, +)
        guard total > 0 else { return nil }
        let rank = max(1, (total * permille + 999) / 1000)
        var seen = 0
        for (milliseconds, count) in histogram.enumerated() {
            seen += count
            if seen >= rank { return milliseconds }
        }
        return histogram.count - 1
    }

    /// Adds another histogram entry by entry (for totals over several peers).
    public static func merge(_ histogram: [Int], into total: inout [Int]) {
        if total.count < histogram.count { total += Array(repeating: 0, count: histogram.count - total.count) }
        for (index, count) in histogram.enumerated() { total[index] += count }
    }

    public var mean: TimeSpan? { count == 0 ? nil : total / Int64(count) }

    public mutating func add(_ sample: TimeSpan) {
        count += 1
        total = total + sample
        minimum = min(minimum ?? sample, sample)
        maximum = max(maximum ?? sample, sample)
        if histogram.isEmpty { histogram = Array(repeating: 0, count: Self.histogramMilliseconds) }
        histogram[Int(min(max(sample.milliseconds, 0), Int64(Self.histogramMilliseconds - 1)))] += 1
        recent.append(sample)
        if recent.count > Self.recentCapacity { recent.removeFirst(recent.count - Self.recentCapacity) }
    }
}
