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
/// its incarnation, its status and, when the sender knows it, its address.
struct MemberRecord<Address: MeshAddress>: Sendable {
    var peer: PeerID
    var publicKey: Curve25519.Signing.PublicKey
    var incarnation: UInt32
    var status: MemberStatus
    var address: Address?

    /// Whether this record carries newer information than `other` about the same peer:
    /// a higher incarnation, or the same incarnation and a graver status (SWIM's rule).
    func supersedes(incarnation otherIncarnation: UInt32, status otherStatus: MemberStatus) -> Bool {
        incarnation > otherIncarnation || (incarnation == otherIncarnation && status > otherStatus)
    }

    func encode(into writer: inout ByteWriter) {
        writer.writeBytes(publicKey.rawRepresentation)
        writer.writeUInt32(incarnation)
        writer.writeUInt8(status.rawValue)
        writer.writeLengthPrefixed(address?.meshEncoded ?? [])
    }

    init(peer: PeerID, publicKey: Curve25519.Signing.PublicKey, incarnation: UInt32, status: MemberStatus, address: Address?) {
        self.peer = peer
        self.publicKey = publicKey
        self.incarnation = incarnation
        self.status = status
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
        let addressBytes = try reader.readLengthPrefixed(max: Address.maxEncodedSize)
        // An address we cannot parse is treated as unknown, not as an error: other shells may differ.
        address = addressBytes.isEmpty ? nil : Address(meshEncoded: addressBytes)
    }
}
