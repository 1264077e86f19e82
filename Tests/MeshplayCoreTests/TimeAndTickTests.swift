import MeshplayCore
import Testing

@Suite("Ticks, slots and time")
struct TimeAndTickTests {
    @Test func tickAdvanceSaturatesInsteadOfTrapping() {
        #expect(Tick(UInt32.max - 1).advanced(by: 5) == Tick(UInt32.max))
        #expect(Tick(3).next == Tick(4))
    }

    @Test func slotsOutsideCapacityAreRefused() {
        #expect(PlayerSlot(rawValue: 31) != nil)
        #expect(PlayerSlot(rawValue: 32) == nil)
        #expect(PlayerSlot(0).description == "P1")
    }

    @Test func timestampArithmeticSaturates() {
        let start = Timestamp.milliseconds(10)
        #expect((start + .milliseconds(5)) - start == .milliseconds(5))
        #expect(start + .milliseconds(-20) == .zero)
        #expect(Timestamp(nanoseconds: .max - 1) + .seconds(1) == Timestamp(nanoseconds: .max))
        #expect(start.since(.milliseconds(15)) == .milliseconds(-5))
    }
}
