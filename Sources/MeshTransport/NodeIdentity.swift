@preconcurrency import Crypto
import Foundation

/// A node's long-term Curve25519 signing identity.
///
/// The transport signs its handshake with it, and upper layers may use
/// ``sign(_:)`` and ``NodeIdentity/isValidSignature(_:for:publicKey:)`` for
/// end-to-end signatures (lobby results, replay headers) that relays cannot forge.
public struct NodeIdentity: Sendable {
    /// The private signing key. Keep it secret.
    public let signingKey: Curve25519.Signing.PrivateKey

    /// Wraps an existing signing key.
    public init(signingKey: Curve25519.Signing.PrivateKey) {
        self.signingKey = signingKey
    }

    /// A fresh identity from 32 bytes of `entropy` (a CSPRNG in real runs, a seeded source in tests).
    public init(entropy: inout some EntropySource) {
        let seed = entropy.bytes(32)
        // 32 bytes are always a valid Ed25519 seed.
        self.signingKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    /// The public half, which peers learn in the handshake.
    public var publicKey: Curve25519.Signing.PublicKey { signingKey.publicKey }

    /// This node's peer id.
    public var peerID: PeerID { PeerID(publicKey: publicKey) }

    /// An Ed25519 signature (64 bytes) over `bytes`.
    public func sign(_ bytes: [UInt8]) -> [UInt8] {
        // BoringSSL's Ed25519 signing does not fail for a valid key.
        Array(try! signingKey.signature(for: bytes))
    }

    /// Whether `signature` is `publicKey`'s signature over `bytes`.
    public static func isValidSignature(
        _ signature: [UInt8], for bytes: [UInt8], publicKey: Curve25519.Signing.PublicKey
    ) -> Bool {
        publicKey.isValidSignature(signature, for: bytes)
    }
}
