import MeshplayCore
import Testing

@Suite("Seeded PRNG")
struct SeededRandomTests {
    /// Known answers computed with an independent implementation of the published
    /// xoshiro256** and SplitMix64 reference code: a change of algorithm would
    /// silently break every replay ever recorded, so it must fail here first.
    @Test(arguments: [
        (UInt64(0), [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A, 0x1A5F_849D_4933_E6E0, 0x6AA5_94F1_262D_2D2C] as [UInt64]),
        (UInt64(1), [0xB3F2_AF6D_0FC7_10C5, 0x853B_5596_4736_4CEA, 0x92F8_9756_082A_4514, 0x642E_1C7B_C266_A3A7]),
        (UInt64(0xDEAD_BEEF), [0xC555_5444_A74D_7E83, 0x65C3_0D37_B4B1_6E38, 0x54F7_7320_0A4E_FA23, 0x429A_ED75_FB95_8AF7]),
    ])
    func knownAnswers(seed: UInt64, expected: [UInt64]) {
        var random = SeededRandom(seed: seed)
        #expect((0..<4).map { _ in random.next() } == expected)
    }

    @Test func boundedDrawsStayInRangeAndCoverIt() {
        var random = SeededRandom(seed: 42)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 {
            let value = random.next(below: 7)
            #expect(value < 7)
            counts[Int(value)] += 1
        }
        // Each bucket expects 10,000; a biased or broken draw lands far outside this band.
        for count in counts { #expect((9_500...10_500).contains(count), "bucket count \(count)") }
    }

    @Test func boundOfOneAlwaysGivesZero() {
        var random = SeededRandom(seed: 9)
        #expect((0..<100).allSatisfy { _ in random.next(below: 1) == 0 })
    }

    @Test func encodedStateRestoresTheSameSequence() throws {
        var original = SeededRandom(seed: 5)
        _ = original.next()
        var writer = ByteWriter()
        original.encode(to: &writer)
        var reader = ByteReader(writer.bytes)
        var restored = try SeededRandom(from: &reader)
        #expect((0..<10).map { _ in original.next() } == (0..<10).map { _ in restored.next() })
    }

    @Test func differentSeedsGiveDifferentStreams() {
        var a = SeededRandom(seed: 1)
        var b = SeededRandom(seed: 2)
        #expect((0..<4).map { _ in a.next() } != (0..<4).map { _ in b.next() })
    }
}
