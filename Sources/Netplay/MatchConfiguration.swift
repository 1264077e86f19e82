import Lockstep
import MeshplayCore

/// How one player's node plays a match over the mesh (a ``MatchCore``): tick rate,
/// checkpoints, channels, warm-up and the input lead's targets.
public struct MatchConfiguration: Sendable, Equatable {
    /// Simulation ticks per second.
    public var tickRate: Int
    /// Ticks between state checksum exchanges, and the replay's checkpoint interval.
    public var checksumInterval: Int
    /// The unreliable channel the lockstep datagrams ride.
    public var lockstepChannel: UInt8
    /// The unreliable channel of warm-up probes (ignored on arrival; they only make
    /// the links measure round trips before the game starts).
    public var probeChannel: UInt8
    /// Warm-up probes are sent to every peer this often.
    public var probeInterval: TimeSpan
    /// Whether to call `resend` half a tick after samples (a second copy of everything
    /// unacknowledged: fewer stalls on lossy links, more datagrams). When true the match
    /// picks a `SendSchedule` from warm-up (see `leadBudgetForFewerSends`); false sends
    /// one datagram a tick.
    public var resendsBetweenTicks: Bool
    /// A match sends fewer datagrams (`SendSchedule.candidates`: one a tick, three every two
    /// ticks, two a tick) when the lead that needs for the stall target is at most this
    /// (default 80 ms); otherwise the schedule with the smallest lead, two a tick as a rule.
    /// Each datagram costs 26 bytes of sealed packet around a few bytes of inputs, so on a
    /// good network this halves a link's bytes for a lead still well under a poor network's.
    /// Zero: always the smallest lead.
    public var leadBudgetForFewerSends: TimeSpan
    /// Extra margin added to the measured one-way latency when choosing the input lead.
    public var leadMargin: TimeSpan
    /// Whether the input delay follows the peers' arrival reports during the game
    /// (up when the network gets worse, down when it gets better; see `InputDelayController`).
    public var adaptsInputDelay: Bool
    /// Warm-up lasts until every link has this many round-trip samples (or the match's cap).
    public var minimumProbeSamples: Int
    /// The chance, per million frames, of a frame freezing that the input lead aims under.
    public var stallTargetPerMillion: Int

    /// Settings for a game at `tickRate` ticks per second.
    public init(
        tickRate: Int = 30,
        checksumInterval: Int = 30,
        lockstepChannel: UInt8 = 16,
        probeChannel: UInt8 = 17,
        probeInterval: TimeSpan = .milliseconds(10),
        resendsBetweenTicks: Bool = true,
        leadBudgetForFewerSends: TimeSpan = .milliseconds(80),
        leadMargin: TimeSpan = .zero,
        adaptsInputDelay: Bool = true,
        minimumProbeSamples: Int = 100,
        stallTargetPerMillion: Int = 6_000
    ) {
        self.tickRate = tickRate
        self.checksumInterval = checksumInterval
        self.lockstepChannel = lockstepChannel
        self.probeChannel = probeChannel
        self.probeInterval = probeInterval
        self.resendsBetweenTicks = resendsBetweenTicks
        self.leadBudgetForFewerSends = leadBudgetForFewerSends
        self.leadMargin = leadMargin
        self.adaptsInputDelay = adaptsInputDelay
        self.minimumProbeSamples = minimumProbeSamples
        self.stallTargetPerMillion = stallTargetPerMillion
    }

    /// The send schedules a match chooses from, fewest datagrams first.
    public var sendSchedules: [SendSchedule] { resendsBetweenTicks ? SendSchedule.candidates : [.onePerTick] }

    /// The length of one tick.
    public var tickPeriod: TimeSpan { TimeSpan(nanoseconds: 1_000_000_000 / Int64(tickRate)) }
}
