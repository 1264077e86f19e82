import MeshplayCore

/// The fixed settings of one lockstep session, agreed before the game starts
/// (except `localSlot` and the delay bounds, which are local choices).
public struct LockstepConfiguration: Sendable, Equatable {
    /// This peer's seat.
    public var localSlot: PlayerSlot
    /// Seats `0 ..< playerCount` take part; each one is a peer.
    public var playerCount: Int
    /// Simulation ticks per second; the driver calls `tick(at:)` this often.
    public var tickRate: Int
    /// Ticks between sampling a local input and simulating it, at the start.
    public var initialInputDelay: Int
    /// Peers exchange a state checksum whenever the game's tick count reaches a
    /// multiple of this (after simulating tick `t` with `(t + 1) % K == 0`), the
    /// same states a replay with checkpoint interval K records.
    public var checksumInterval: Int
    /// Lower bound for the adaptive input delay, in ticks.
    public var minimumInputDelay: Int
    /// Upper bound for the adaptive input delay, in ticks.
    public var maximumInputDelay: Int
    /// Whether the local input delay follows the arrival slack peers report.
    public var adaptsInputDelay: Bool
    /// What the adaptive delay aims under: frozen frames caused by our inputs, per
    /// million frames, summed over all links (see `InputDelayController`).
    public var stallTargetPerMillion: Int
    /// The most inputs of one player a datagram carries (the redundancy window).
    public var maxRedundantInputs: Int
    /// Datagrams are kept at or under this many bytes.
    public var maxDatagramBytes: Int
    /// Whether every datagram ends with a 32-bit check. Needed on carriers that do not
    /// authenticate; over MeshTransport (AEAD per packet) it is 4 wasted bytes a datagram.
    /// Every peer of a game must agree.
    public var checksDatagrams: Bool

    public init(
        localSlot: PlayerSlot,
        playerCount: Int,
        tickRate: Int = 30,
        initialInputDelay: Int = 3,
        checksumInterval: Int = 10,
        minimumInputDelay: Int = 1,
        maximumInputDelay: Int = 30,
        adaptsInputDelay: Bool = true,
        stallTargetPerMillion: Int = 6_000,
        maxRedundantInputs: Int = 32,
        maxDatagramBytes: Int = 1100,
        checksDatagrams: Bool = true
    ) {
        precondition(playerCount >= 1 && playerCount <= PlayerSlot.capacity, "player count out of range")
        precondition(localSlot.index < playerCount, "local slot outside the game")
        precondition(tickRate >= 1 && tickRate <= 1000, "tick rate out of range")
        precondition(checksumInterval >= 1, "checksum interval must be positive")
        precondition(minimumInputDelay >= 0 && minimumInputDelay <= maximumInputDelay, "bad delay bounds")
        precondition(maxRedundantInputs >= 1 && maxRedundantInputs <= LockstepMessage.maxEntriesPerBlock, "bad redundancy window")
        precondition(maxDatagramBytes >= 512, "datagrams under 512 bytes cannot carry a full header")
        self.localSlot = localSlot
        self.playerCount = playerCount
        self.tickRate = tickRate
        self.initialInputDelay = min(max(initialInputDelay, minimumInputDelay), maximumInputDelay)
        self.checksumInterval = checksumInterval
        self.minimumInputDelay = minimumInputDelay
        self.maximumInputDelay = maximumInputDelay
        self.adaptsInputDelay = adaptsInputDelay
        self.stallTargetPerMillion = max(1, stallTargetPerMillion)
        self.maxRedundantInputs = maxRedundantInputs
        self.maxDatagramBytes = maxDatagramBytes
        self.checksDatagrams = checksDatagrams
    }

    /// The length of one tick.
    public var tickPeriod: TimeSpan { TimeSpan(nanoseconds: 1_000_000_000 / Int64(tickRate)) }

    /// The starting input delay for measured round trips: the largest one-way
    /// latency plus a jitter margin, rounded up to whole ticks, plus one tick
    /// because an input is only sent on the tick after the key press.
    ///
    /// - Parameters:
    ///   - roundTrips: the driver's round-trip estimate to each other peer.
    ///   - jitter: the spread of those estimates (for example a mean deviation).
    ///   - tickRate: simulation ticks per second.
    public static func inputDelay(forRoundTrips roundTrips: [TimeSpan], jitter: TimeSpan, tickRate: Int) -> Int {
        let largest = roundTrips.max() ?? .zero
        let oneWay = max(Int64(0), largest.nanoseconds / 2 + max(Int64(0), jitter.nanoseconds))
        let period = 1_000_000_000 / Int64(max(1, tickRate))
        return Int((oneWay + period - 1) / period) + 1
    }

    /// The input lead for measured round trips: how long after a key press its tick
    /// is simulated, split into whole ticks of input delay and a phase (`0 ..< period`)
    /// by which `advance` follows `sampleInput`. The lead is the largest one-way
    /// latency (half the round trip) plus `jitter` plus `margin`; the margin buys
    /// time for later copies of a lost datagram (redundancy) to arrive.
    public static func inputLead(forRoundTrips roundTrips: [TimeSpan], jitter: TimeSpan, margin: TimeSpan, tickRate: Int) -> (delay: Int, phase: TimeSpan) {
        let largest = roundTrips.max() ?? .zero
        let lead = max(Int64(0), largest.nanoseconds / 2 + max(Int64(0), jitter.nanoseconds) + max(Int64(0), margin.nanoseconds))
        let period = 1_000_000_000 / Int64(max(1, tickRate))
        return (Int(lead / period), TimeSpan(nanoseconds: lead % period))
    }
}
