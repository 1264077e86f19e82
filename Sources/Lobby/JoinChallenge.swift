import Crypto
import MeshTransport
import MeshplayCore

/// The host's challenge nonces, kept as no state per joiner (like the transport's cookie).
///
/// The nonce for a joiner is `HMAC-SHA256(secret, "meshplay-join-v1" ‖ joiner id ‖ window)`,
/// cut to ``RoomPassword/nonceSize`` bytes, where `window` counts lifetimes of the host's own
/// clock. A join is checked against the nonces of this window and the one before, so a
/// challenge is good for one to two lifetimes. However many strangers say hello, the host
/// holds nothing for them, and none of them can crowd a real joiner out.
struct JoinChallenge: Sendable {
    /// The key bytes (kept as bytes: `SymmetricKey` is not `Sendable`).
    private let secret: [UInt8]
    let lifetime: TimeSpan

    /// `secret`: 32 random bytes, this host's own.
    init(secret: [UInt8], lifetime: TimeSpan) {
        self.secret = secret
        self.lifetime = max(lifetime, .milliseconds(1))
    }

    /// The nonce to send `joiner` now.
    func nonce(for joiner: PeerID, at now: Timestamp) -> [UInt8] {
        nonce(for: joiner, window: window(at: now))
    }

    /// The nonces a join from `joiner` may answer now: this window's, then the last one's.
    func acceptedNonces(for joiner: PeerID, at now: Timestamp) -> [[UInt8]] {
        let current = window(at: now)
        return current == 0 ? [nonce(for: joiner, window: 0)] : [nonce(for: joiner, window: current), nonce(for: joiner, window: current - 1)]
    }

    private func window(at now: Timestamp) -> UInt64 {
        now.nanoseconds / UInt64(lifetime.nanoseconds)
    }

    private func nonce(for joiner: PeerID, window: UInt64) -> [UInt8] {
        var message = Array("meshplay-join-v1".utf8)
        message.append(contentsOf: joiner.bytes)
        for shift in stride(from: 0, to: 64, by: 8) { message.append(UInt8(truncatingIfNeeded: window >> UInt64(shift))) }
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: secret)).prefix(RoomPassword.nonceSize))
    }
}
