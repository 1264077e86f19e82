/// The engine's deterministic pseudo-random number generator.
///
/// Algorithm: xoshiro256** (Blackman and Vigna, 2018) with its 256-bit state
/// expanded from a 64-bit seed by SplitMix64, exactly as the reference code
/// recommends. Bounded draws use Lemire's multiply-shift with rejection, so they
/// are unbiased and identical on every platform. The standard library's
/// `random(in:using:)` is not used because its algorithm is not a documented,
/// stable contract.
public struct SeededRandom: Hashable, Sendable {
    public private(set) var s0: UInt64
    public private(set) var s1: UInt64
    public private(set) var s2: UInt64
    public private(set) var s3: UInt64

    /// A generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = nextSplitMix()
        s1 = nextSplitMix()
        s2 = nextSplitMix()
        s3 = nextSplitMix()
        // SplitMix64 never yields four zero words, but keep the invariant explicit.
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    /// Restores a generator from its four state words (as written by `encode`).
    public init(state s0: UInt64, _ s1: UInt64, _ s2: UInt64, _ s3: UInt64) {
        self.s0 = s0
        self.s1 = s1
        self.s2 = s2
        self.s3 = s3
        if s0 | s1 | s2 | s3 == 0 { self.s0 = 1 }
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always)
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 &- k)) }

    /// A uniformly distributed value in `0 ..< bound`. `bound` must be positive.
    public mutating func next(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        // Lemire, "Fast Random Integer Generation in an Interval" (2019).
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = next().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// A uniformly distributed index in `0 ..< count`. `count` must be positive.
    public mutating func nextIndex(below count: Int) -> Int {
        precondition(count > 0, "count must be positive")
        return Int(next(below: UInt64(count)))
    }

    /// A new seed for an independent stream (for example one bot's brain).
    public mutating func derivedSeed() -> UInt64 { next() }

    /// Writes the four state words, so generator state takes part in checksums.
    public func encode(to encoder: inout some CanonicalEncoder) {
        encoder.writeUInt64(s0)
        encoder.writeUInt64(s1)
        encoder.writeUInt64(s2)
        encoder.writeUInt64(s3)
    }

    /// Reads a generator written by `encode`.
    public init(from reader: inout ByteReader) throws {
        self.init(state: try reader.readUInt64(), try reader.readUInt64(), try reader.readUInt64(), try reader.readUInt64())
    }
}
