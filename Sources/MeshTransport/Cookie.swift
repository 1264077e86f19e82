@preconcurrency import Crypto
import MeshplayCore

/// Stateless handshake cookies: an HMAC-SHA256 (truncated to 16 bytes) over the
/// time bucket, the initiator's address and its hello nonce, keyed by a secret
/// only the responder knows. The responder keeps nothing per address: it
/// recomputes the cookie when the initiation echoes it back.
struct CookieJar: Sendable {
    let secret: SymmetricKey
    let bucket: TimeSpan

    func bucketIndex(_ now: Timestamp) -> UInt64 {
        now.nanoseconds / UInt64(max(bucket.nanoseconds, 1))
    }

    func cookie(for addressBytes: [UInt8], helloNonce: UInt64, bucket index: UInt64) -> [UInt8] {
        var writer = WireWriter(capacity: 48)
        writer.uint64(index)
        writer.uint64(helloNonce)
        writer.append(addressBytes)
        let mac = HMAC<SHA256>.authenticationCode(for: writer.bytes, using: secret)
        return Array(Array(mac).prefix(HandshakeMessage.cookieSize))
    }

    func cookie(for addressBytes: [UInt8], helloNonce: UInt64, at now: Timestamp) -> [UInt8] {
        cookie(for: addressBytes, helloNonce: helloNonce, bucket: bucketIndex(now))
    }

    /// Whether `cookie` was issued to this address and nonce in this bucket or the previous one.
    func isValid(_ cookie: [UInt8], for addressBytes: [UInt8], helloNonce: UInt64, at now: Timestamp) -> Bool {
        let index = bucketIndex(now)
        if constantTimeEqual(cookie, self.cookie(for: addressBytes, helloNonce: helloNonce, bucket: index)) { return true }
        return index > 0 && constantTimeEqual(cookie, self.cookie(for: addressBytes, helloNonce: helloNonce, bucket: index - 1))
    }

    private func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
