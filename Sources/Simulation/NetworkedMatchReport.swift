import Lockstep
import MeshplayCore
import Netplay

/// The figures and cross-peer checks of a finished `NetworkedMatch`. Integers only.
///
/// Definitions:
/// - a *stall* is a frame that froze on a peer: the tick due at the previous frame
///   had still not been simulated when the next one became due. `stallTicks` sums
///   them over surviving peers; `stallBasisPoints` is per 10,000 of their frames.
/// - *input latency* is, for every input a peer's bot sampled, the virtual time from
///   sampling to that tick being simulated on the same peer; percentiles are over
///   all surviving peers' samples together, in whole milliseconds.
/// - *bytes per peer per second* is every datagram byte a surviving peer sent on
///   all its links during its game (transport headers and tags included), divided
///   by its game's duration, averaged over those peers.
public struct NetworkedMatchReport: Sendable {
    /// Surviving slots: not crashed, not dropped by the others, not cut off from the majority.
    public var survivors: [Int]
    /// Every slot that left the match before its end, in slot order: when and why.
    public var leavers: [Leaver]
    /// Ticks the reference survivor simulated.
    public var ticks: Int
    /// The reference survivor's final state checksum.
    public var finalChecksum: StateChecksum?
    public var stallTicks: Int
    public var frames: Int
    public var stallBasisPoints: Int { frames == 0 ? 0 : stallTicks * 10_000 / frames }
    /// Largest initial and final input delay over survivors, in ticks.
    public var initialInputDelay: Int
    public var finalInputDelay: Int
    public var latencyP50Milliseconds: Int?
    public var latencyP99Milliseconds: Int?
    public var bytesPerPeerPerSecond: Int
    /// Attestation bytes (signatures and their acks) a survivor sent on one link per second,
    /// in hundredths, averaged over survivors and their links.
    public var attestationHundredthsPerLinkPerSecond: Int
    public var desyncs: Int
    /// Slots dropped by agreement, as the reference survivor saw them.
    public var droppedPlayers: [Int]
    /// Restarted nodes that took their seat again: the seat, the tick it played from, and the
    /// virtual time from asking its feeder to simulating its first tick again.
    public var rejoins: [(slot: Int, tick: Int, catchUpMilliseconds: Int)] = []
    /// Spectators: the slot that fed each, the tick and checksum its game ended at, and the
    /// history bytes it was sent per second of the match.
    public var spectators: [(feeder: Int?, tick: Int, finalChecksum: StateChecksum?, bytesPerSecond: Int)] = []
    /// What went wrong; empty when the run is good.
    public var failures: [String]

    /// Checks and measures `match` after `run()` returned `finished`.
    public init(match: NetworkedMatch, finished: Bool) {
        let peers = match.peers
        var failures: [String] = finished ? [] : ["the match did not finish"]
        let survivors = peers.indices.filter { index in
            !match.crashed[index] && Self.ownEnding(of: peers[index], slot: index) == nil
        }
        self.survivors = survivors
        desyncs = peers.reduce(0) { total, peer in
            total + peer.notableEvents.filter { if case .desync = $0 { true } else { false } }.count
        }
        if desyncs > 0 { failures.append("\(desyncs) desync events") }
        let reference = survivors.first.map { peers[$0] }
        ticks = reference.map { Int($0.game.tick.rawValue) } ?? 0
        finalChecksum = reference?.game.checksum()
        droppedPlayers = reference?.notableEvents.compactMap { if case .dropped(let slot, _) = $0 { slot.index } else { nil } } ?? []
        var stalls = 0
        var frames = 0
        var initial = 0
        var final = 0
        var histogram: [Int] = []
        var bytesPerSecond: [Int] = []
        var attestationPerLink: [Int] = []
        for index in survivors {
            let peer = peers[index]
            guard let stats = peer.stats, let recorder = peer.loop?.recorder, let base = reference?.loop?.recorder else { continue }
            stalls += stats.stallTicks
            frames += stats.tickCalls
            initial = max(initial, peer.initialLead.delay)
            final = max(final, stats.inputDelay)
            LatencySummary.merge(stats.inputLatency.histogram, into: &histogram)
            if let start = peer.startedAt, let end = peer.finishedAt, end > start {
                bytesPerSecond.append(Int(peer.bytesSentDuringGame * 1_000_000_000 / UInt64((end - start).nanoseconds)))
                let links = Int64(max(1, peers.count - 1))
                attestationPerLink.append(Int(Int64(stats.attestationBytesSent) * 100_000_000_000 / links / (end - start).nanoseconds))
            }
            if peer.game.checksum() != finalChecksum || Int(peer.game.tick.rawValue) != ticks {
                failures.append("slot \(index) ended at tick \(peer.game.tick) with \(peer.game.checksum()), slot \(survivors[0]) at tick \(ticks) with \(finalChecksum.map(\.description) ?? "-")")
            }
            if recorder.applied != base.applied { failures.append("slot \(index) applied other inputs than slot \(survivors[0])") }
            if recorder.events != base.events { failures.append("slot \(index) saw other chat or drops than slot \(survivors[0])") }
            if peer.game.tick.rawValue < UInt32(match.options.ticks) && peer.game.outcome == nil {
                failures.append("slot \(index) stopped at tick \(peer.game.tick)")
            }
        }
        if let base = reference?.loop?.recorder {
            failures += Self.inputStreamProblems(applied: base.applied, events: base.events, peers: peers, skipping: match.rejoinedSlots)
        }
        for entry in match.rejoined {
            guard let tick = entry.seatTick, let asked = entry.asked, let playing = entry.playing else {
                failures.append("slot \(entry.slot) did not take its seat again")
                continue
            }
            rejoins.append((entry.slot, tick, Int((playing - asked).microseconds / 1000)))
        }
        let seconds = max(1, Int64(ticks) / Int64(match.options.peer.tickRate))
        for (index, address) in match.spectatorAddresses.enumerated() {
            let watched = match.driver.inspect(address) { node in
                (node.watchedMatch.map { (Int($0.game.tick.rawValue), $0.game.checksum()) }, node.watchProblem, node.watchBytesReceived)
            }
            let feeder = match.spectatorFeeders.indices.contains(index) ? match.spectatorFeeders[index] : nil
            spectators.append((feeder, watched.0?.0 ?? 0, watched.0?.1, Int(Int64(watched.2) / seconds)))
            if let problem = watched.1 { failures.append("spectator \(index): \(problem)") }
            if watched.0?.1 != finalChecksum || watched.0?.0 != ticks {
                failures.append("spectator \(index) ended at tick \(watched.0?.0 ?? 0) with \(watched.0.map { $0.1.description } ?? "-"), the players at tick \(ticks)")
            }
        }
        leavers = Self.leavers(match: match, reference: reference)
        failures += Self.minorityProblems(peers: peers)
        stallTicks = stalls
        self.frames = frames
        initialInputDelay = initial
        finalInputDelay = final
        latencyP50Milliseconds = LatencySummary.percentile(permille: 500, of: histogram)
        latencyP99Milliseconds = LatencySummary.percentile(permille: 990, of: histogram)
        bytesPerPeerPerSecond = bytesPerSecond.isEmpty ? 0 : bytesPerSecond.reduce(0, +) / bytesPerSecond.count
        attestationHundredthsPerLinkPerSecond = attestationPerLink.isEmpty ? 0 : attestationPerLink.reduce(0, +) / attestationPerLink.count
        self.failures = failures
    }

    /// No input lost or applied twice: per slot, the applied stream (runs collapsed, up to
    /// its drop) must be the start of what that slot's bot was sampled for (runs collapsed).
    /// A seat taken again by a restarted node (`skipping`) has two streams and is not checked.
    static func inputStreamProblems(
        applied: [[PlayerInput]], events: [LockstepEvent], peers: [MatchCore], skipping: [Int] = []
    ) -> [String] {
        var problems: [String] = []
        for (slot, peer) in peers.enumerated() where !skipping.contains(slot) {
            var end = applied.count
            for case .dropped(let dropped, let tick) in events where dropped.index == slot { end = min(end, Int(tick.rawValue)) }
            // Ticks before the first sample play `.none`; with no input delay there are none.
            let stream = collapse(Array(applied.prefix(end).map { $0[slot] }.drop { $0 == .none }))
            let sampled = collapse(Array(peer.sampledInputs.drop { $0 == .none }))
            if stream.count > sampled.count || Array(sampled.prefix(stream.count)) != stream {
                problems.append("slot \(slot): an input was lost, reordered or applied twice")
            }
        }
        return problems
    }

    /// How a peer's own game ended early: dropped by the others, or cut off from the majority.
    static func ownEnding(of peer: MatchCore, slot: Int) -> LockstepEvent? {
        peer.notableEvents.first { event in
            switch event {
            case .dropped(let dropped, _): dropped.index == slot
            case .lostMajority: true
            case .rejoined, .chat, .desync: false
            }
        }
    }

    /// Who left, from the reference survivor's drops, the crashes, and each cut-off peer's own word.
    static func leavers(match: NetworkedMatch, reference: MatchCore?) -> [Leaver] {
        match.peers.indices.compactMap { index -> Leaver? in
            let peer = match.peers[index]
            if case .lostMajority(let tick, let reachable)? = ownEnding(of: peer, slot: index) {
                let side = reachable.map { String($0.index) }.joined(separator: "+")
                return Leaver(slot: index, tick: Int(tick.rawValue), reason: "lost contact with the majority (side \(side))")
            }
            let drop = reference?.notableEvents.lazy.compactMap { event -> Int? in
                if case .dropped(let slot, let tick) = event, slot.index == index { Int(tick.rawValue) } else { nil }
            }.first
            let crash = match.options.crashes.first { $0.slot == index }
            if let back = match.rejoined.first(where: { $0.slot == index }), let tick = back.seatTick, let crash {
                return Leaver(slot: index, tick: drop ?? crash.tick, reason: "crashed at tick \(crash.tick), back in its seat from tick \(tick)")
            }
            if match.crashed[index], let crash {
                return Leaver(slot: index, tick: drop ?? crash.tick, reason: "crashed at tick \(crash.tick)")
            }
            return drop.map { Leaver(slot: index, tick: $0, reason: "dropped by the others") }
        }
    }

    /// Peers cut off on the same side of a split must stop at the same tick in the same state.
    static func minorityProblems(peers: [MatchCore]) -> [String] {
        var problems: [String] = []
        var sides: [(reachable: [PlayerSlot], first: Int)] = []
        for index in peers.indices {
            guard case .lostMajority(let tick, let reachable)? = ownEnding(of: peers[index], slot: index) else { continue }
            guard let side = sides.first(where: { $0.reachable == reachable }) else {
                sides.append((reachable, index))
                continue
            }
            let first = peers[side.first]
            guard case .lostMajority(let firstTick, _)? = ownEnding(of: first, slot: side.first) else { continue }
            if firstTick != tick || first.game.checksum() != peers[index].game.checksum() {
                problems.append("slot \(index) left the minority at tick \(tick) with \(peers[index].game.checksum()), slot \(side.first) at tick \(firstTick) with \(first.game.checksum())")
            }
        }
        return problems
    }

    private static func collapse(_ inputs: [PlayerInput]) -> [PlayerInput] {
        var result: [PlayerInput] = []
        for input in inputs where result.last != input { result.append(input) }
        return result
    }
}

/// A slot that left a simulated match early.
public struct Leaver: Sendable, Equatable {
    public var slot: Int
    /// The tick its game stopped, or the others dropped it.
    public var tick: Int
    /// Why, in words ("crashed at tick 100", "lost contact with the majority (side 3)").
    public var reason: String
}
