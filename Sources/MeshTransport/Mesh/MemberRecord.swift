@preconcurrency import Crypto
import MeshplayCore

/// What the mesh believes about one member.
public enum MemberStatus: UInt8, Sendable, Comparable {
    /// A member in good standing.
    case alive = 0
    /// Declared lost after failed indirect probes (it may refute with a higher incarnation).
    case lost = 1
    /// Left on purpose.
    case left = 2

    public static func < (lhs: MemberStatus, rhs: MemberStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One member as gossiped between nodes: its signing key (its peer id derives from it),
/// its incarnation, its status, the member's own signature and, when the sender knows it,
/// its address.
///
/// The member signs (key, incarnation, alive|left) itself (MeshProtocol.md, "Member
/// records"), so nobody else can raise its incarnation, revive it or say it left. A `lost`
/// record is a claim by whoever sends it: it carries the member's own *alive* signature at
/// that incarnation, which proves only that the member was alive then. The address is an
/// unsigned hint.
struct MemberRecord<Address: MeshAddress>: Sendable {
    /// The signature's domain: a member record signature can't pass for any other signature.
    static var signatureDomain: [UInt8] { Array("meshplay-member-v2".utf8) }
    /// Bytes of an Ed25519 signature.
    static var signatureSize: Int { 64 }

    var peer: PeerID
    var publicKey: Curve25519.Signing.PublicKey
    var incarnation: UInt32
    var status: MemberStatus
    /// The member's signature over ``signedBytes``.
    var signature: [UInt8]
    var address: Address?

    /// The status the member itself signed: `left` for a record saying it left, else `alive`
    /// (a `lost` claim rides on the member's alive signature).
    var signedStatus: MemberStatus { status == .left ? .left : .alive }

    /// What the member signs: the domain, its key, the incarnation and the signed status.
    static func signedBytes(publicKey: Curve25519.Signing.PublicKey, incarnation: UInt32, status: MemberStatus) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        writer.writeBytes(signatureDomain)
        writer.writeBytes(publicKey.rawRepresentation)
        writer.writeUInt32(incarnation)
        writer.writeUInt8(status.rawValue)
        return writer.bytes
    }

    /// Whether the member itself signed this record's incarnation and signed status.
    var isAuthentic: Bool {
        NodeIdentity.isValidSignature(
            signature, for: Self.signedBytes(publicKey: publicKey, incarnation: incarnation, status: signedStatus), publicKey: publicKey)
    }

    /// Whether this record carries newer information than `other` about the same peer:
    /// a higher incarnation, or the same incarnation and a graver status (SWIM's rule).
    func supersedes(incarnation otherIncarnation: UInt32, status otherStatus: MemberStatus) -> Bool {
        incarnation > otherIncarnation || (incarnation == otherIncarnation && status > otherStatus)
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeBytes(publicKey.rawRepresentation)
        writer.writeUInt32(incarnation)
        writer.writeUInt8(status.rawValue)
        writer.writeBytes(signature)
        writer.writeLengthPrefixed(address?.meshEncoded ?? [])
    }

    /// A node's own record, signed by it (`lost` is never said of oneself).
    init(signedBy identity: NodeIdentity, incarnation: UInt32, status: MemberStatus) {
        precondition(status != .lost, "a node never declares itself lost")
        self.init(
            peer: identity.peerID, publicKey: identity.publicKey, incarnation: incarnation, status: status,
            signature: identity.sign(Self.signedBytes(publicKey: identity.publicKey, incarnation: incarnation, status: status)),
            address: nil)
    }

    init(
        peer: PeerID, publicKey: Curve25519.Signing.PublicKey, incarnation: UInt32, status: MemberStatus, signature: [UInt8],
        address: Address?
    ) {
        self.peer = peer
        self.publicKey = publicKey
        self.incarnation = incarnation
        self.status = status
        self.signature = signature
        self.address = address
    }

    init(from reader: inout ByteReader) throws {
        let keyBytes = try reader.readBytes(count: 32)
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: keyBytes) else { throw reader.error("bad signing key") }
        publicKey = key
        peer = PeerID(publicKey: key)
        incarnation = try reader.readUInt32()
        guard let status = MemberStatus(rawValue: try reader.readUInt8()) else { throw reader.error("bad member status") }
        self.status = status
        // Checked where it matters (MeshMembership), so records that change nothing cost no verification.
        signature = try reader.readBytes(count: Self.signatureSize)
        let addressBytes = try reader.readLengthPrefixed(max: Address.maxEncodedSize)
        // An address we cannot parse is treated as unknown, not as an error: other shells may differ.
        address = addressBytes.isEmpty ? nil : Address(meshEncoded: addressBytes)
    }
}
