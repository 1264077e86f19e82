import Lockstep
import MeshplayCore
import Testing

@Suite("Send schedules and the lead they need")
struct SendScheduleTests {
    /// Seven links of `oneWay` ± 10 ms (100 round trips each) that lost `lossPercent` of 1,000 probes.
    static func links(oneWay: Int64, lossPercent: Int) -> [LockstepLead.Link] {
        let trips = (0..<100).map { TimeSpan.milliseconds(2 * oneWay - 14 + Int64($0 % 29)) }
        return Array(repeating: LockstepLead.Link(roundTrips: trips, sent: 1000, received: 1000 - 10 * lossPercent), count: 7)
    }

    static func plan(lossPercent: Int, budget: TimeSpan = .milliseconds(80)) -> (schedule: SendSchedule, lead: Int64) {
        let (schedule, lead) = LockstepLead.plan(
            links: links(oneWay: 50, lossPercent: lossPercent), tickRate: 30, schedules: SendSchedule.candidates,
            stallTargetPerMillion: 6_000, budget: budget)
        return (schedule, Int64(lead.delay) * 33_333_333 + lead.phase.nanoseconds)
    }

    @Test("resends are spread evenly over a cycle")
    func resendPattern() {
        #expect((0..<6).map(SendSchedule.twoPerTick.resends(afterSample:)) == Array(repeating: true, count: 6))
        #expect((0..<6).map(SendSchedule.onePerTick.resends(afterSample:)) == Array(repeating: false, count: 6))
        #expect((0..<4).map(SendSchedule.threeEveryTwo.resends(afterSample:)) == [true, false, true, false])
        #expect((0..<6).map(SendSchedule(resends: 2, every: 3).resends(afterSample:)) == [true, false, true, true, false, true])
        #expect(SendSchedule.candidates.map(\.datagramsPerCycle) == [1, 3, 2])
    }

    @Test("a clean network gets one datagram a tick, some loss three every two, heavy loss two a tick")
    func fewerSendsWhereTheyDo() {
        let clean = Self.plan(lossPercent: 0)
        #expect(clean.schedule == .onePerTick)
        #expect(clean.lead <= TimeSpan.milliseconds(80).nanoseconds)
        #expect(Self.plan(lossPercent: 5).schedule == .threeEveryTwo)
        let lossy = Self.plan(lossPercent: 20)
        #expect(lossy.schedule == .twoPerTick)
        // The densest schedule needs the least lead: what a budget of zero always takes.
        #expect(Self.plan(lossPercent: 0, budget: .zero).schedule == .twoPerTick)
        #expect(Self.plan(lossPercent: 0, budget: .zero).lead < clean.lead)
        #expect(Self.plan(lossPercent: 20, budget: .zero).lead == lossy.lead)
    }
}
