import MeshplayCore

/// Where a protocol core gets the random bytes it needs (ephemeral keys,
/// session ids, handshake nonces, cookie secrets).
///
/// Cores never read a random source of their own: real shells pass
/// ``SystemEntropy`` (the operating system's CSPRNG), tests and the simulated
/// network pass ``SeededEntropy`` so a seed replays a run exactly.
public protocol EntropySource: Sendable {
    /// The next 64 random bits.
    mutating func next() -> UInt64
}

extension EntropySource {
    /// `count` random bytes.
    public mutating func bytes(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        result.reserveCapacity(count + 8)
        while result.count < count {
            let word = next()
            for shift in stride(from: 0, to: 64, by: 8) { result.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        result.removeLast(result.count - count)
        return result
    }
}

/// The operating system's cryptographically secure generator (`getrandom` on Linux).
public struct SystemEntropy: EntropySource {
    private var generator = SystemRandomNumberGenerator()

    /// The system generator.
    public init() {}

    public mutating func next() -> UInt64 { generator.next() }
}

/// A deterministic source for tests and simulations. Not secret: never use it on a real network.
public struct SeededEntropy: EntropySource {
    private var generator: SeededRandom

    /// A source whose whole output is determined by `seed`.
    public init(seed: UInt64) { generator = SeededRandom(seed: seed) }

    public mutating func next() -> UInt64 { generator.next() }
}
