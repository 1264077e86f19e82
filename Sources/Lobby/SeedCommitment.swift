import Crypto
import MeshTransport

/// The commit-then-reveal arithmetic of the fair seed.
///
/// Each participant draws a 32-byte secret, commits to
/// `SHA-256(secret ‖ peer id (16 bytes))`, and reveals the secret only once every
/// commitment is fixed. The seed is `SHA-256("meshplay-seed-v1" ‖ round (4 bytes LE) ‖
/// every secret in slot order)`; its first eight bytes, big-endian, are the game's
/// 64-bit seed. No participant can choose the seed: its own secret is fixed before it
/// sees any other, and any one honest secret makes the result unpredictable.
public enum SeedCommitment {
    /// Bytes of a secret and of a commitment.
    public static let size = 32

    /// The commitment to `secret` by `peer`.
    public static func commitment(secret: [UInt8], peer: PeerID) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: secret)
        hasher.update(data: peer.bytes)
        return Array(hasher.finalize())
    }

    /// Whether `secret` opens `commitment` for `peer`.
    public static func opens(_ commitment: [UInt8], secret: [UInt8], peer: PeerID) -> Bool {
        secret.count == size && Self.commitment(secret: secret, peer: peer) == commitment
    }

    /// The 32-byte seed digest of a start round from the secrets in slot order.
    public static func seedDigest(round: UInt32, secrets: [[UInt8]]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("meshplay-seed-v1".utf8))
        hasher.update(data: [UInt8(truncatingIfNeeded: round), UInt8(truncatingIfNeeded: round >> 8),
                             UInt8(truncatingIfNeeded: round >> 16), UInt8(truncatingIfNeeded: round >> 24)])
        for secret in secrets { hasher.update(data: secret) }
        return Array(hasher.finalize())
    }

    /// The game seed: the digest's first eight bytes, big-endian.
    public static func seed(fromDigest digest: [UInt8]) -> UInt64 {
        digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
