@testable import Lockstep
import Testing

@Suite("Input delay controller")
struct InputDelayControllerTests {
    /// A report whose counts per level (−5 ... 3 periods) are `below`.
    func report(through tick: UInt32, samples: UInt32, below: [UInt32] = Array(repeating: 0, count: SlackReport.levels.count)) -> SlackReport {
        SlackReport(throughTick: tick, samples: samples, below: below)
    }

    @Test("inputs that froze raise the delay by what the latest needed, once per cause")
    func freezingRaisesByWhatWasNeeded() {
        var controller = InputDelayController(initial: 2, minimum: 0, maximum: 30, stallTargetPerMillion: 6_000, playerCount: 2)
        #expect(controller.decide(reports: [(slot: 1, report: report(through: 10, samples: 10))], nextScheduledTick: 12, canLower: true) == nil)
        // 20 more inputs, every one froze a frame, the worst between 2 and 3 periods late.
        let frozen = report(through: 30, samples: 30, below: [0, 0, 0, 20, 20, 20, 20, 20, 20])
        #expect(controller.decide(reports: [(slot: 1, report: frozen)], nextScheduledTick: 34, canLower: true) == 4)
        // The same cause, reported again or from before the change, acts no more.
        #expect(controller.decide(reports: [(slot: 1, report: frozen)], nextScheduledTick: 35, canLower: true) == nil)
        let stale = report(through: 33, samples: 60, below: Array(repeating: 50, count: SlackReport.levels.count))
        #expect(controller.decide(reports: [(slot: 1, report: stale)], nextScheduledTick: 36, canLower: true) == nil)
    }

    @Test("a full quiet window lowers the delay one tick per call that may skip a sample")
    func quietWindowLowersStepByStep() {
        var controller = InputDelayController(initial: 6, minimum: 1, maximum: 30, stallTargetPerMillion: 6_000, playerCount: 2)
        _ = controller.decide(reports: [(slot: 1, report: report(through: 10, samples: 10))], nextScheduledTick: 16, canLower: true)
        // 1,000 inputs, none with less than three periods of slack: four ticks lower is safe.
        let quiet = report(through: 1_010, samples: 1_010)
        #expect(controller.decide(reports: [(slot: 1, report: quiet)], nextScheduledTick: 1_016, canLower: false) == nil)
        #expect(controller.decide(reports: [(slot: 1, report: quiet)], nextScheduledTick: 1_017, canLower: true) == 5)
        #expect(controller.decide(reports: [(slot: 1, report: nil)], nextScheduledTick: 1_018, canLower: false) == nil)
        #expect(controller.decide(reports: [(slot: 1, report: nil)], nextScheduledTick: 1_019, canLower: true) == 4)
        #expect(controller.decide(reports: [(slot: 1, report: nil)], nextScheduledTick: 1_020, canLower: true) == 3)
        #expect(controller.decide(reports: [(slot: 1, report: nil)], nextScheduledTick: 1_021, canLower: true) == 2)
        #expect(controller.decide(reports: [(slot: 1, report: nil)], nextScheduledTick: 1_022, canLower: true) == nil)
    }

    @Test("a window where a tick lower would have frozen too often does not lower")
    func marginalWindowKeepsTheDelay() {
        var controller = InputDelayController(initial: 6, minimum: 1, maximum: 30, stallTargetPerMillion: 6_000, playerCount: 2)
        _ = controller.decide(reports: [(slot: 1, report: report(through: 10, samples: 10))], nextScheduledTick: 16, canLower: true)
        // Four of 1,000 inputs arrived after their tick was due: a tick lower they would have
        // frozen, 4,000 per million, over half of the one link's 6,000 target.
        let marginal = report(through: 1_010, samples: 1_010, below: [0, 0, 0, 0, 0, 4, 4, 4, 4])
        #expect(controller.decide(reports: [(slot: 1, report: marginal)], nextScheduledTick: 1_016, canLower: true) == nil)
    }
}
