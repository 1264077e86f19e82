import Crypto
import MeshTransport

/// Proof of the room password without sending it.
///
/// The host sends each joiner a fresh 16-byte nonce; the joiner answers with
/// `HMAC-SHA256(key: SHA-256("meshplay-room-password-v1" ‖ password), nonce ‖ joiner peer id)`.
/// The host computes the same and compares in constant time. A room without a
/// password uses the empty password, so the exchange is the same for every room.
/// The proof travels on a link already sealed with the (open) lobby mesh key, and
/// binds the joiner's id, so it cannot be replayed by another node or for another nonce.
public enum RoomPassword {
    /// Bytes of a challenge nonce.
    public static let nonceSize = 16

    /// The proof a joiner sends.
    public static func proof(password: String?, nonce: [UInt8], joiner: PeerID) -> [UInt8] {
        var keyHasher = SHA256()
        keyHasher.update(data: Array("meshplay-room-password-v1".utf8))
        keyHasher.update(data: Array((password ?? "").utf8))
        let key = SymmetricKey(data: Array(keyHasher.finalize()))
        var message = nonce
        message.append(contentsOf: joiner.bytes)
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: key))
    }

    /// Whether `proof` shows knowledge of `password` for this nonce and joiner.
    public static func verify(_ proof: [UInt8], password: String?, nonce: [UInt8], joiner: PeerID) -> Bool {
        let expected = Self.proof(password: password, nonce: nonce, joiner: joiner)
        guard proof.count == expected.count else { return false }
        var difference: UInt8 = 0
        for index in expected.indices { difference |= expected[index] ^ proof[index] }
        return difference == 0
    }
}
