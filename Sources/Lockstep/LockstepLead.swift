import MeshplayCore

/// Chooses the input lead (how long after a key press its tick is simulated) from
/// warm-up measurements, as the smallest lead that meets a stall target, and the send
/// schedule that lead is for.
///
/// An input is sent at its sample and then again with every datagram until acked, as a
/// `SendSchedule` says. A frame freezes when some peer's copy has not arrived by the freeze
/// deadline, `lead + period` after the sample. Copy `k` (sent `offset_k` after the sample)
/// makes it when it is not lost (chance `1 − p`) and its one-way latency fits what is left.
/// So per link
///
///     miss(lead) = Π_k ( p + (1 − p) · P(oneWay > lead + period − offset_k) )
///
/// averaged over the samples of a schedule's cycle (their copies leave at different
/// offsets), and the lead is the smallest (in whole milliseconds) with Σ_links miss ≤ target.
///
/// - one-way latency samples: per link, half the median round trip plus 7/10 of each
///   round trip's deviation from the median (two independent directions add up their
///   spreads by about √2), from echoed warm-up probes.
/// - loss `p`: lost probes over sent probes, pooled over every link (tens of probes
///   per link are too few alone), in per mille, at least `minimumLossPermille`.
/// Integers only (parts per 10⁹), so every run picks the same lead.
public enum LockstepLead {
    /// What warm-up measured on one link.
    public struct Link: Sendable, Equatable {
        /// Round-trip samples.
        public var roundTrips: [TimeSpan]
        /// Probes the peer sent (as far as we can tell) and probes that arrived.
        public var sent: Int
        public var received: Int

        public init(roundTrips: [TimeSpan], sent: Int, received: Int) {
            self.roundTrips = roundTrips
            self.sent = sent
            self.received = received
        }

        /// One-way latency samples, sorted; empty without round trips.
        public var oneWaySamples: [TimeSpan] {
            guard !roundTrips.isEmpty else { return [] }
            let sorted = roundTrips.sorted()
            let median = sorted[(sorted.count - 1) / 2]
            return sorted.map { median / 2 + TimeSpan(nanoseconds: ($0 - median).nanoseconds * 7 / 10) }
        }
    }

    /// Assumed for a link that measured nothing (when another link did, its samples are used instead).
    public static let unmeasuredOneWay = TimeSpan.milliseconds(250)
    /// The loss assumed at least, in per mille, so a lucky warm-up still buys a spare copy.
    public static let minimumLossPermille = 20
    /// The longest lead considered.
    public static let maximumLead = TimeSpan.seconds(2)

    /// Pooled loss over `links`, in per mille.
    public static func lossPermille(of links: [Link]) -> Int {
        let sent = links.reduce(0) { $0 + max(0, $1.sent) }
        let received = links.reduce(0) { $0 + min(max(0, $1.received), max(0, $1.sent)) }
        return sent == 0 ? 1000 : (sent - received) * 1000 / sent
    }

    static let one: Int64 = 1_000_000_000

    /// The chance (per 10⁹) that every copy on a link with these sorted one-way samples misses,
    /// for copies sent at `offsets` after the sample.
    static func miss(lead: Int64, samples: [TimeSpan], loss: Int64, period: Int64, offsets: [Int64]) -> Int64 {
        var miss = one
        for offset in offsets {
            let room = lead + period - offset
            if room < 0 || miss == 0 { break }
            // Samples later than `room`: this copy comes too late.
            var late = 0
            for sample in samples.reversed() {
                if sample.nanoseconds > room { late += 1 } else { break }
            }
            let tooLate = Int64(late) * one / Int64(max(1, samples.count))
            let lost = loss + (one - loss) * tooLate / one
            miss = miss * lost / one
        }
        return miss
    }

    /// The smallest lead (nanoseconds, whole milliseconds) whose modelled stall chance on `links`
    /// is at most `stallTargetPerMillion` for inputs sent on `schedule`, or `maximumLead`.
    static func smallestLead(links: [Link], tickRate: Int, schedule: SendSchedule, stallTargetPerMillion: Int) -> Int64 {
        let period = one / Int64(max(1, tickRate))
        let loss = Int64(min(max(lossPermille(of: links), minimumLossPermille), 950)) * (one / 1000)
        let measured = links.map(\.oneWaySamples)
        let fallback = measured.max { ($0.last ?? .zero) < ($1.last ?? .zero) } ?? []
        let samples = measured.map { $0.isEmpty ? (fallback.isEmpty ? [unmeasuredOneWay] : fallback) : $0 }
        let positions = (0..<schedule.cycle).map {
            schedule.copyOffsets(position: $0, period: period, horizon: maximumLead.nanoseconds + period)
        }
        let target = Int64(stallTargetPerMillion) * 1000 * Int64(positions.count)
        var lead: Int64 = 0
        let step: Int64 = 1_000_000
        while lead < maximumLead.nanoseconds {
            var total: Int64 = 0
            for offsets in positions {
                total += samples.reduce(Int64(0)) { $0 + miss(lead: lead, samples: $1, loss: loss, period: period, offsets: offsets) }
            }
            if total <= target { break }
            lead += step
        }
        return lead
    }

    /// The lead as whole ticks of input delay and a phase (`0 ..< period`) by which
    /// `advance` follows `sampleInput`, for inputs sent on `schedule`; `margin` is added on top.
    public static func choose(
        links: [Link], tickRate: Int, schedule: SendSchedule = .twoPerTick, stallTargetPerMillion: Int, margin: TimeSpan = .zero
    ) -> (delay: Int, phase: TimeSpan) {
        plan(links: links, tickRate: tickRate, schedules: [schedule], stallTargetPerMillion: stallTargetPerMillion, margin: margin).lead
    }

    /// The send schedule and lead of a match: among `schedules` (fewest datagrams first), the
    /// first whose smallest lead meeting the stall target is at most `budget`; when none is,
    /// the one with the smallest lead (the densest, as a rule). The lead as whole ticks of
    /// input delay and a phase, with `margin` on top. So a good network sends fewer datagrams
    /// for a lead still under the budget, and a poor one gets every copy it can.
    public static func plan(
        links: [Link], tickRate: Int, schedules: [SendSchedule], stallTargetPerMillion: Int,
        budget: TimeSpan = .zero, margin: TimeSpan = .zero
    ) -> (schedule: SendSchedule, lead: (delay: Int, phase: TimeSpan)) {
        precondition(!schedules.isEmpty, "at least one schedule")
        let period = one / Int64(max(1, tickRate))
        let leads = schedules.map { smallestLead(links: links, tickRate: tickRate, schedule: $0, stallTargetPerMillion: stallTargetPerMillion) }
        let best = leads.indices.min { leads[$0] < leads[$1] }!
        let chosen = leads.firstIndex { $0 <= budget.nanoseconds } ?? best
        let lead = leads[chosen] + max(0, margin.nanoseconds)
        return (schedules[chosen], (Int(lead / period), TimeSpan(nanoseconds: lead % period)))
    }
}
