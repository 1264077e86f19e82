import MeshplayCore

/// A message on ``MeshChannel/membership``: a whole member list (sent when a link comes up)
/// or the records that changed (forwarded hop by hop while they are news).
///
/// Layout (MeshProtocol.md): version = 2 (1), kind (1), count (varint ≤ 256), records. Version 1
/// (records without signatures) is refused.
struct MembershipMessage<Address: MeshAddress>: Sendable {
    enum Kind: UInt8, Sendable {
        /// The sender's whole view, its own record first.
        case sync = 1
        /// Records that changed the sender's view.
        case update = 2
        /// "Send me your whole view" (no records), answered with a sync by a peer that vouches for the sender.
        case request = 3
    }

    /// The most records one message may carry (the member-table bound).
    static var maxRecords: Int { 256 }
    /// The layout's version: 2 signs every record.
    static var version: UInt8 { 2 }

    var kind: Kind
    var records: [MemberRecord<Address>]

    var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 8 + records.count * 112)
        writer.writeUInt8(Self.version)
        writer.writeUInt8(kind.rawValue)
        writer.writeVarint(records.count)
        for record in records { record.encode(into: &writer) }
        return writer.bytes
    }

    init(kind: Kind, records: [MemberRecord<Address>]) {
        self.kind = kind
        self.records = records
    }

    init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard try reader.readUInt8() == Self.version else { throw reader.error("unknown membership version") }
        guard let kind = Kind(rawValue: try reader.readUInt8()) else { throw reader.error("bad membership kind") }
        self.kind = kind
        let count = try reader.readVarint(max: Self.maxRecords, "record count")
        records = []
        records.reserveCapacity(count)
        for _ in 0..<count { records.append(try MemberRecord(from: &reader)) }
        try reader.expectEnd("membership message")
    }
}
