import Crypto
import MeshplayCore

/// The bytes a player signs at an attestation tick: what it claims the match was up to there.
///
/// Layout (all integers little-endian): the ASCII domain `meshplay-attestation-v1`, the engine
/// version (u16), the game id (varint length + UTF-8) and rules version (u16), the tick (u32),
/// the state checksum there (u64) and the 32-byte input hash (``InputChain``). The domain keeps
/// these signatures from ever being valid for another of the node's signed messages.
/// Nothing but the signature travels: every peer and the verifier build these bytes themselves.
public struct AttestationStatement: Hashable, Sendable {
    /// Separates attestation signatures from every other use of an identity key.
    public static let domain = Array("meshplay-attestation-v1".utf8)
    /// Bytes of an Ed25519 signature.
    public static let signatureSize = 64
    /// Bytes of an Ed25519 public key.
    public static let publicKeySize = 32

    /// `MeshplayVersion.engine` of the signer.
    public var engineVersion: UInt16
    /// The game and its rules version.
    public var game: GameIdentity
    /// The game's tick count when the state was hashed.
    public var tick: UInt32
    /// The state checksum at `tick`.
    public var checksum: StateChecksum
    /// The input hash of every tick before `tick`.
    public var inputHash: [UInt8]

    /// A statement from its fields.
    public init(engineVersion: UInt16, game: GameIdentity, tick: UInt32, checksum: StateChecksum, inputHash: [UInt8]) {
        self.engineVersion = engineVersion
        self.game = game
        self.tick = tick
        self.checksum = checksum
        self.inputHash = inputHash
    }

    /// The signed bytes.
    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 96)
        writer.writeBytes(Self.domain)
        writer.writeUInt16(engineVersion)
        writer.writeString(game.id)
        writer.writeUInt16(game.version)
        writer.writeUInt32(tick)
        writer.writeUInt64(checksum.rawValue)
        writer.writeBytes(inputHash)
        return writer.bytes
    }

    /// Whether `signature` is the holder of `publicKey` (32 raw bytes) signing this statement.
    /// An all-zero key stands for "unknown" and never validates.
    public func isSigned(by publicKey: [UInt8], signature: [UInt8]) -> Bool {
        guard signature.count == Self.signatureSize, publicKey.contains(where: { $0 != 0 }),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey)
        else { return false }
        return key.isValidSignature(signature, for: bytes)
    }
}
