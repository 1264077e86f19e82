/// A 64-bit checksum of a game state's canonical encoding.
public struct StateChecksum: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Sixteen lowercase hex digits, as printed by `meshplay verify` and `sim`.
    public var description: String {
        let digits = String(rawValue, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Parses sixteen hex digits.
    public init?(hex: String) {
        guard hex.utf8.count == 16, let value = UInt64(hex, radix: 16) else { return nil }
        rawValue = value
    }
}

/// Hashes a canonical byte stream into a `StateChecksum`.
///
/// Algorithm (fixed forever for checksum version 1): 64-bit FNV-1a over the
/// bytes, then the SplitMix64 finaliser over the result so that nearby states
/// give unrelated checksums. No `Hasher`: its seed changes per process.
public struct StateHasher: CanonicalEncoder, Sendable {
    @usableFromInline var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    @inlinable public mutating func writeByte(_ byte: UInt8) {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    public mutating func writeBytes(_ bytes: some Sequence<UInt8>) {
        for byte in bytes { writeByte(byte) }
    }

    /// The checksum of everything written so far.
    public var checksum: StateChecksum {
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return StateChecksum(rawValue: z ^ (z >> 31))
    }

    /// The checksum of `bytes`.
    public static func checksum(of bytes: some Sequence<UInt8>) -> StateChecksum {
        var hasher = StateHasher()
        hasher.writeBytes(bytes)
        return hasher.checksum
    }
}
