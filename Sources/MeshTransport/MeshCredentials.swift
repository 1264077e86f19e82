@preconcurrency import Crypto
import Foundation

/// The shared secret of a mesh: its name and an optional password, stretched
/// into keys with HKDF-SHA256.
///
/// Every packet on the mesh, handshakes included, is sealed with a key derived
/// from these credentials, so a node that does not know them gets no byte accepted
/// and no reply. HKDF is not a password-hardening function: a weak password can be
/// guessed offline from one captured packet. Use a long random password when that matters.
public struct MeshCredentials: Sendable {
    /// The mesh name, part of the key derivation (two meshes with the same password do not interoperate).
    public let meshName: String
    /// The mesh key: HKDF-SHA256(ikm: password, salt: "meshplay/v1/mesh/" + name, info: "mesh key").
    public let meshKey: SymmetricKey
    /// The key that seals handshake packets, derived from ``meshKey``.
    let handshakeKey: SymmetricKey

    /// Credentials for `meshName`, protected by `password` when one is given.
    public init(meshName: String, password: String? = nil) {
        self.meshName = meshName
        let ikm = SymmetricKey(data: Array((password ?? "").utf8))
        let salt = Array("meshplay/v1/mesh/\(meshName)".utf8)
        meshKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: ikm, salt: salt, info: Array("mesh key".utf8), outputByteCount: 32)
        handshakeKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: meshKey, salt: [UInt8](), info: Array("handshake key".utf8), outputByteCount: 32)
    }

    /// The raw mesh-key bytes (salt for session keys).
    var meshKeyBytes: [UInt8] { meshKey.withUnsafeBytes { Array($0) } }
}
