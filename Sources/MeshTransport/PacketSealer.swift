@preconcurrency import Crypto
import Foundation
import MeshplayCore

/// Seals and opens packets with ChaCha20-Poly1305.
///
/// The 12-byte nonce is a 4-byte domain (zero for data, `"HSK1"` for
/// handshakes) followed by the header's 64-bit sequence, little-endian. The
/// header is the associated data, so it is authenticated but readable.
/// Data keys are per link and per direction, and a sender never reuses a
/// sequence, so a (key, nonce) pair never repeats. Handshake packets share the
/// mesh's handshake key and use a random 64-bit sequence.
struct PacketSealer: Sendable {
    let key: SymmetricKey
    let domain: UInt32

    static let dataDomain: UInt32 = 0
    static let handshakeDomain: UInt32 = 0x314B_5348  // "HSK1" little-endian

    func nonce(_ sequence: UInt64) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<4 { bytes[index] = UInt8(truncatingIfNeeded: domain >> UInt32(8 * index)) }
        for index in 0..<8 { bytes[4 + index] = UInt8(truncatingIfNeeded: sequence >> UInt64(8 * index)) }
        return try! ChaChaPoly.Nonce(data: bytes)  // 12 bytes is always a valid nonce
    }

    /// A whole datagram: header, ciphertext of `plaintext`, tag.
    func seal(header: PacketHeader, plaintext: [UInt8]) -> [UInt8] {
        var datagram: [UInt8] = []
        datagram.reserveCapacity(PacketHeader.overhead + plaintext.count)
        header.write(to: &datagram)
        // ChaChaPoly cannot fail with a valid key and nonce.
        let box = try! ChaChaPoly.seal(plaintext, using: key, nonce: nonce(header.sequence), authenticating: datagram)
        // `combined` is nonce ‖ ciphertext ‖ tag: append all but the nonce in one copy.
        box.combined.withUnsafeBytes { datagram.append(contentsOf: $0[12...]) }
        return datagram
    }

    /// The plaintext of `datagram` (whose header has been parsed), or nil when
    /// the tag does not verify: wrong key, tampering, or garbage.
    func open(_ datagram: [UInt8], header: PacketHeader) -> [UInt8]? {
        let count = datagram.count
        guard count >= PacketHeader.overhead else { return nil }
        guard let box = try? ChaChaPoly.SealedBox(
            nonce: nonce(header.sequence),
            ciphertext: datagram[PacketHeader.size ..< count - PacketHeader.tagSize],
            tag: datagram[(count - PacketHeader.tagSize)...])
        else { return nil }
        guard let plain = try? ChaChaPoly.open(box, using: key, authenticating: datagram[0 ..< PacketHeader.size]) else {
            return nil
        }
        return plain.withUnsafeBytes { Array($0) }
    }
}
