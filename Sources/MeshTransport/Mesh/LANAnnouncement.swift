import MeshplayCore

/// What a mesh says about itself on the LAN (UDP broadcast on ``wellKnownPort``):
/// its name, whether it needs a password, the port its node listens on and, optionally,
/// opaque details from the layer above (a room's advert). Nothing secret.
///
/// Layout: `"MPLA"` (4), version (1), flags (1; bit 0 = locked), port (u16 LE),
/// mesh name (varint length ≤ 64, UTF-8); version 2 adds details (varint length
/// ≤ ``maxDetailsBytes``). Without details it is sent as version 1, so listeners of
/// builds that only know version 1 still hear it; see ``datagrams``.
public struct LANAnnouncement: Sendable, Equatable {
    /// The UDP port LAN announcements are broadcast to.
    public static let wellKnownPort = 47001
    static let magic: [UInt8] = Array("MPLA".utf8)
    /// The longest mesh name announced or accepted, in UTF-8 bytes.
    public static let maxNameBytes = 64

    /// The mesh's name.
    public var meshName: String
    /// True when the mesh has a password.
    public var locked: Bool
    /// The port of the announcing node's mesh socket.
    public var port: UInt16
    /// What the layer above says about this node (a room advert), empty for none.
    /// Opaque here; cut to ``maxDetailsBytes``.
    public var details: [UInt8]

    /// The most detail bytes announced or accepted (keeps a datagram well under 1200 B).
    public static let maxDetailsBytes = 256
    /// The longest datagram: 4 + 1 + 1 + 2 + (2 + 64) + (2 + 256).
    public static let maxEncodedBytes = 332

    /// An announcement.
    public init(meshName: String, locked: Bool, port: UInt16, details: [UInt8] = []) {
        self.meshName = meshName
        self.locked = locked
        self.port = port
        self.details = Array(details.prefix(Self.maxDetailsBytes))
    }

    /// The datagram: version 1 without details, version 2 with them.
    public var encoded: [UInt8] { encoded(version: details.isEmpty ? 1 : 2) }

    /// What an announcer sends each time: with details, a version-1 datagram first (for
    /// listeners that know only version 1, which reject version 2) and then the version-2 one.
    public var datagrams: [[UInt8]] { details.isEmpty ? [encoded] : [encoded(version: 1), encoded] }

    private func encoded(version: UInt8) -> [UInt8] {
        var writer = ByteWriter(capacity: 80 + details.count)
        writer.writeBytes(Self.magic)
        writer.writeUInt8(version)
        writer.writeUInt8(locked ? 1 : 0)
        writer.writeUInt16(port)
        writer.writeLengthPrefixed(Array(meshName.utf8.prefix(Self.maxNameBytes)))
        if version >= 2 { writer.writeLengthPrefixed(details) }
        return writer.bytes
    }

    /// Parses a datagram; nil for anything else (other programs share the port).
    public init?(decoding bytes: [UInt8]) {
        guard bytes.count <= Self.maxEncodedBytes else { return nil }
        var reader = ByteReader(bytes)
        guard (try? reader.readBytes(count: 4)) == Self.magic, let version = try? reader.readUInt8(), version == 1 || version == 2,
              let flags = try? reader.readUInt8(), flags <= 1, let port = try? reader.readUInt16(), port != 0,
              let name = try? reader.readString(maxBytes: Self.maxNameBytes)
        else { return nil }
        var details: [UInt8] = []
        if version == 2 {
            guard let read = try? reader.readLengthPrefixed(max: Self.maxDetailsBytes) else { return nil }
            details = read
        }
        guard (try? reader.expectEnd()) != nil else { return nil }
        self.init(meshName: name, locked: flags == 1, port: port, details: details)
    }
}
