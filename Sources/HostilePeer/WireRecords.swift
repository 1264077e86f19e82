import MeshTransport
import MeshplayCore

/// Membership messages (MeshProtocol.md, channel 0xF0) written from the wire doc, not from
/// the library's own encoder: what an attacker's client would send.
enum WireRecords {
    static let membershipChannel: UInt8 = 0xF0

    /// One record: key | incarnation | status | signature | address (IPv4: 4, IP, port BE).
    static func record(of identity: NodeIdentity, incarnation: UInt32 = 0, status: UInt8 = 0, address: UDPAddress?) -> [UInt8] {
        var signed = ByteWriter()
        signed.writeBytes(Array("meshplay-member-v2".utf8))
        signed.writeBytes(identity.publicKey.rawRepresentation)
        signed.writeUInt32(incarnation)
        signed.writeUInt8(status == 2 ? 2 : 0)
        var writer = ByteWriter()
        writer.writeBytes(identity.publicKey.rawRepresentation)
        writer.writeUInt32(incarnation)
        writer.writeUInt8(status)
        writer.writeBytes(identity.sign(signed.bytes))
        if let address {
            writer.writeVarint(7)
            writer.writeUInt8(4)
            writer.writeBytes(address.ipBytes)
            writer.writeUInt8(UInt8(address.port >> 8))
            writer.writeUInt8(UInt8(address.port & 0xFF))
        } else {
            writer.writeVarint(0)
        }
        return writer.bytes
    }

    /// A sync (kind 1) of these records, version 2.
    static func sync(_ records: [[UInt8]]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeUInt8(2)
        writer.writeUInt8(1)
        writer.writeVarint(records.count)
        for record in records { writer.writeBytes(record) }
        return writer.bytes
    }

    /// Identities nobody runs.
    static func fabricatedIdentities(_ count: Int, seed: UInt64) -> [NodeIdentity] {
        var entropy = SeededEntropy(seed: seed)
        return (0..<count).map { _ in NodeIdentity(entropy: &entropy) }
    }
}
