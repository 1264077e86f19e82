@preconcurrency import Crypto
import Foundation
import MeshplayCore

/// Seals and opens packets with ChaCha20-Poly1305.
///
/// The 12-byte nonce is a 4-byte domain (zero for data, `"HSK1"` for
/// handshakes) followed by the 64-bit sequence, little-endian: a handshake's nonce, a data
/// packet's whole packet number (of which its header carries only the low bits). The
/// header as sent is the associated data, so it is authenticated but readable.
/// Data keys are per link and per direction, and a sender never reuses a
/// sequence, so a (key, nonce) pair never repeats. Handshake packets share the
/// mesh's handshake key and use a random 64-bit sequence.
struct PacketSealer: Sendable {
    let key: SymmetricKey
    let domain: UInt32

    static let dataDomain: UInt32 = 0
    static let handshakeDomain: UInt32 = 0x314B_5348  // "HSK1" little-endian

    /// The nonce's 12 bytes as three little-endian words: domain, then the sequence's low and
    /// high halves. A tuple of equal words has no padding, so it is the nonce in memory as it
    /// is on the stack: no allocation.
    private func nonceWords(_ sequence: UInt64) -> (UInt32, UInt32, UInt32) {
        (domain.littleEndian, UInt32(truncatingIfNeeded: sequence).littleEndian, UInt32(truncatingIfNeeded: sequence >> 32).littleEndian)
    }

    func nonce(_ sequence: UInt64) -> ChaChaPoly.Nonce {
        withUnsafeBytes(of: nonceWords(sequence)) { try! ChaChaPoly.Nonce(data: $0) }  // 12 bytes is always a valid nonce
    }

    /// A whole datagram: header, ciphertext of `plaintext`, tag (its first `header.tagBytes`).
    func seal(header: PacketHeader, plaintext: [UInt8]) -> [UInt8] {
        var datagram: [UInt8] = []
        datagram.reserveCapacity(header.size + header.tagBytes + plaintext.count)
        header.write(to: &datagram)
        // ChaChaPoly cannot fail with a valid key and nonce.
        let box = try! ChaChaPoly.seal(plaintext, using: key, nonce: nonce(header.sequence), authenticating: datagram)
        // `combined` is nonce ‖ ciphertext ‖ tag: append all but the nonce (and the tag's cut end) in one copy.
        let cut = PacketHeader.tagSize - header.tagBytes
        box.combined.withUnsafeBytes { datagram.append(contentsOf: $0[12 ..< $0.count - cut]) }
        return datagram
    }

    /// The plaintext of `datagram` (whose header has been parsed, and for data its packet
    /// number made whole in `header.sequence`), or nil when the tag does not verify: wrong
    /// key, tampering, garbage, or a packet number guessed wrong.
    func open(_ datagram: [UInt8], header: PacketHeader) -> [UInt8]? {
        let count = datagram.count
        let headerSize = header.size
        guard count >= headerSize + header.tagBytes else { return nil }
        guard header.tagBytes == PacketHeader.tagSize else { return openShortTag(datagram, header: header) }
        // nonce ‖ ciphertext ‖ tag in one buffer, the form `SealedBox(combined:)` keeps as it is:
        // one copy, where building the box from three pieces costs several thousand instructions.
        var combined: [UInt8] = []
        combined.reserveCapacity(12 + count - headerSize)
        withUnsafeBytes(of: nonceWords(header.sequence)) { combined.append(contentsOf: $0) }
        combined.append(contentsOf: datagram[headerSize...])
        guard let box = try? ChaChaPoly.SealedBox(combined: combined),
              let plain = try? ChaChaPoly.open(box, using: key, authenticating: datagram[0 ..< headerSize])
        else { return nil }
        return plain.withUnsafeBytes { Array($0) }
    }

    /// ``open(_:header:)`` for a packet with a short tag: seal twice (see the type's comment).
    private func openShortTag(_ datagram: [UInt8], header: PacketHeader) -> [UInt8]? {
        let tagStart = datagram.count - header.tagBytes
        let nonce = nonce(header.sequence)
        guard let unmasked = try? ChaChaPoly.seal(datagram[header.size ..< tagStart], using: key, nonce: nonce),
              case let plaintext = unmasked.ciphertext,
              let resealed = try? ChaChaPoly.seal(plaintext, using: key, nonce: nonce, authenticating: datagram[0 ..< header.size])
        else { return nil }
        // Every byte compared whatever the first difference, so timing tells nothing.
        let difference = resealed.combined.withUnsafeBytes { combined in
            let fullTag = combined.count - PacketHeader.tagSize
            var difference: UInt8 = 0
            for index in 0 ..< header.tagBytes { difference |= combined[fullTag + index] ^ datagram[tagStart + index] }
            return difference
        }
        guard difference == 0 else { return nil }
        return plaintext.withUnsafeBytes { Array($0) }
    }
}
