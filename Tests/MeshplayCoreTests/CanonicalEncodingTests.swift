import MeshplayCore
import Testing

@Suite("Canonical encoding")
struct CanonicalEncodingTests {
    @Test(arguments: [UInt64(0), 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), UInt64.max])
    func varintRoundTrip(value: UInt64) throws {
        var writer = ByteWriter()
        writer.writeVarint(value)
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readVarint() == value)
        #expect(reader.isAtEnd)
    }

    @Test func varintBytesAreLEB128() {
        var writer = ByteWriter()
        writer.writeVarint(UInt64(300))
        #expect(writer.bytes == [0xAC, 0x02])
    }

    @Test(arguments: [Int64(0), 1, -1, 63, -64, 64, Int64.max, Int64.min])
    func signedVarintRoundTrip(value: Int64) throws {
        var writer = ByteWriter()
        writer.writeSignedVarint(value)
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readSignedVarint() == value)
    }

    @Test func fixedWidthIntegersAreLittleEndian() throws {
        var writer = ByteWriter()
        writer.writeUInt16(0x0102)
        writer.writeUInt32(0x0304_0506)
        writer.writeUInt64(0x0708_090A_0B0C_0D0E)
        #expect(writer.bytes == [0x02, 0x01, 0x06, 0x05, 0x04, 0x03, 0x0E, 0x0D, 0x0C, 0x0B, 0x0A, 0x09, 0x08, 0x07])
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readUInt16() == 0x0102)
        #expect(try reader.readUInt32() == 0x0304_0506)
        #expect(try reader.readUInt64() == 0x0708_090A_0B0C_0D0E)
    }

    @Test func overlongVarintIsRefused() {
        var reader = ByteReader([0x80, 0x00])
        #expect(throws: DecodingError.self) { try reader.readVarint() }
    }

    @Test func overflowingVarintIsRefused() {
        var reader = ByteReader([UInt8](repeating: 0xFF, count: 10) + [0x01])
        #expect(throws: DecodingError.self) { try reader.readVarint() }
        var eleven = ByteReader([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02])
        #expect(throws: DecodingError.self) { try eleven.readVarint() }
    }

    @Test func shortInputThrowsWithOffset() {
        var reader = ByteReader([1, 2, 3])
        _ = try? reader.readUInt16()
        #expect(throws: DecodingError(offset: 2, reason: "unexpected end of data: need 4 bytes, have 1")) {
            try reader.readUInt32()
        }
    }

    @Test func absurdClaimedLengthIsRefusedWithoutAllocating() {
        var writer = ByteWriter()
        writer.writeVarint(UInt64(1) << 40)
        writer.writeBytes([1, 2, 3])
        var limited = ByteReader(writer.bytes)
        #expect(throws: DecodingError.self) { try limited.readLengthPrefixed(max: 1 << 62) }
        var capped = ByteReader(writer.bytes)
        #expect(throws: DecodingError.self) { try capped.readString(maxBytes: 64) }
    }

    @Test func stringsRoundTripAndInvalidUTF8IsRefused() throws {
        var writer = ByteWriter()
        writer.writeString("snake 🐍 ärena")
        var reader = ByteReader(writer.bytes)
        #expect(try reader.readString(maxBytes: 100) == "snake 🐍 ärena")
        var bad = ByteReader([2, 0xC3, 0x28])
        #expect(throws: DecodingError.self) { try bad.readString(maxBytes: 100) }
    }

    @Test func booleansAcceptOnlyZeroAndOne() throws {
        var reader = ByteReader([0, 1, 2])
        #expect(try reader.readBool() == false)
        #expect(try reader.readBool() == true)
        #expect(throws: DecodingError.self) { try reader.readBool() }
    }

    @Test func trailingBytesAreReported() {
        var reader = ByteReader([1, 2])
        _ = try? reader.readByte()
        #expect(throws: DecodingError.self) { try reader.expectEnd() }
    }

    @Test func randomBytesNeverTrap() {
        var random = SeededRandom(seed: 77)
        for _ in 0..<2_000 {
            let bytes = (0..<random.nextIndex(below: 24)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            var reader = ByteReader(bytes)
            while !reader.isAtEnd {
                switch random.next(below: 4) {
                case 0: _ = try? reader.readVarint()
                case 1: _ = try? reader.readString(maxBytes: 16)
                case 2: _ = try? reader.readUInt64()
                default: _ = try? reader.readLengthPrefixed(max: 8)
                }
                if random.next(below: 8) == 0 { break }
            }
        }
    }
}
