import MeshplayCore

/// When a peer sends its lockstep datagrams: one at every input sample (a new input goes
/// out at once), plus a resend half a period later after `resends` of every `cycle` samples,
/// spread evenly over the cycle.
///
/// Each datagram carries every input the receiver has not acknowledged, so each send is
/// one more chance for each of them under loss, and what a send costs is mostly the sealed
/// packet around it (26 of about 32 bytes), not its inputs. Fewer sends leave fewer copies
/// inside an input's lead, so they need a longer lead for the same stall rate
/// (`LockstepLead.plan` weighs that). A schedule is a local choice: it changes how inputs
/// travel, never which inputs a tick has, so peers need not agree on it. Resends stay half
/// a period from the samples (not right after them): copies close together would be lost
/// together in the bursts real networks have.
public struct SendSchedule: Sendable, Equatable, CustomStringConvertible {
    /// Samples in one cycle.
    public let cycle: Int
    /// Samples of a cycle followed by a resend (0 ... `cycle`).
    public let resends: Int

    /// `resends` resends every `cycle` samples.
    public init(resends: Int, every cycle: Int) {
        precondition(cycle >= 1 && (0...cycle).contains(resends), "0 ... cycle resends a cycle")
        self.cycle = cycle
        self.resends = resends
    }

    /// One datagram a tick.
    public static let onePerTick = SendSchedule(resends: 0, every: 1)
    /// Three datagrams every two ticks.
    public static let threeEveryTwo = SendSchedule(resends: 1, every: 2)
    /// Two datagrams a tick (every peer's schedule before schedules were chosen).
    public static let twoPerTick = SendSchedule(resends: 1, every: 1)
    /// What a match chooses from, fewest datagrams first.
    public static let candidates: [SendSchedule] = [.onePerTick, .threeEveryTwo, .twoPerTick]

    /// Whether the `sample`-th sample (counting from 0) is followed by a resend.
    public func resends(afterSample sample: Int) -> Bool { sample % cycle * resends % cycle < resends }

    /// Datagrams per link per tick, times `cycle`.
    public var datagramsPerCycle: Int { cycle + resends }

    /// When the copies of an input sampled as the `position`-th sample of the cycle leave,
    /// as offsets from its sample in nanoseconds (sorted), up to `horizon`; integers only.
    func copyOffsets(position: Int, period: Int64, horizon: Int64) -> [Int64] {
        var offsets: [Int64] = []
        var tick: Int64 = 0
        while tick * period <= horizon {
            offsets.append(tick * period)
            if resends(afterSample: position + Int(tick)), tick * period + period / 2 <= horizon {
                offsets.append(tick * period + period / 2)
            }
            tick += 1
        }
        return offsets
    }

    public var description: String { "\(datagramsPerCycle)/\(cycle) datagrams a tick" }
}
