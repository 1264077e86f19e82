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

    public init() {}

    public var mean: TimeSpan? { count == 0 ? nil : total / Int64(count) }

    public mutating func add(_ sample: TimeSpan) {
        count += 1
        total = total + sample
        minimum = min(minimum ?? sample, sample)
        maximum = max(maximum ?? sample, sample)
        recent.append(sample)
        if recent.count > Self.recentCapacity { recent.removeFirst(recent.count - Self.recentCapacity) }
    }
}
