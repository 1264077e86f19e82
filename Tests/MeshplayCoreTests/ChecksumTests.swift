import MeshplayCore
import Testing

@Suite("State checksums")
struct ChecksumTests {
    /// Known answer from an independent FNV-1a-64 + SplitMix64-finaliser implementation.
    @Test func knownAnswer() {
        #expect(StateHasher.checksum(of: Array("meshplay".utf8)).rawValue == 0x015B_AA9C_24CF_CFC4)
    }

    @Test func hexIsSixteenDigitsAndParsesBack() {
        let checksum = StateChecksum(rawValue: 0xAB)
        #expect(checksum.description == "00000000000000ab")
        #expect(StateChecksum(hex: checksum.description) == checksum)
        #expect(StateChecksum(hex: "xyz") == nil)
    }

    @Test func hasherSeesTheSameBytesAsTheWriter() {
        var writer = ByteWriter()
        var hasher = StateHasher()
        for encoder in 0..<2 {
            func fill(_ target: inout some CanonicalEncoder) {
                target.writeVarint(UInt64(12_345))
                target.writeString("p1")
                target.writeUInt32(7)
            }
            if encoder == 0 { fill(&writer) } else { fill(&hasher) }
        }
        #expect(hasher.checksum == StateHasher.checksum(of: writer.bytes))
    }

    @Test func oneBitChangesTheChecksum() {
        let bytes: [UInt8] = Array(repeating: 0, count: 64)
        var flipped = bytes
        flipped[31] ^= 1
        #expect(StateHasher.checksum(of: bytes) != StateHasher.checksum(of: flipped))
    }
}
