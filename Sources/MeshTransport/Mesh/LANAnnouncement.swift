import MeshplayCore

/// What a mesh says about itself on the LAN (UDP broadcast on ``wellKnownPort``):
/// its name, whether it needs a password, and the port its node listens on. Nothing secret.
///
/// Layout: `"MPLA"` (4), version = 1 (1), flags (1; bit 0 = locked), port (u16 LE),
/// mesh name (varint length ≤ 64, UTF-8). At most 76 bytes.
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

    /// An announcement.
    public init(meshName: String, locked: Bool, port: UInt16) {
        self.meshName = meshName
        self.locked = locked
        self.port = port
    }

    /// The datagram.
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 80)
        writer.writeBytes(Self.magic)
        writer.writeUInt8(1)
        writer.writeUInt8(locked ? 1 : 0)
        writer.writeUInt16(port)
        writer.writeLengthPrefixed(Array(meshName.utf8.prefix(Self.maxNameBytes)))
        return writer.bytes
    }

    /// Parses a datagram; nil for anything else (other programs share the port).
    public init?(decoding bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        guard (try? reader.readBytes(count: 4)) == Self.magic, (try? reader.readUInt8()) == 1,
              let flags = try? reader.readUInt8(), flags <= 1, let port = try? reader.readUInt16(), port != 0,
              let name = try? reader.readString(maxBytes: Self.maxNameBytes), (try? reader.expectEnd()) != nil
        else { return nil }
        self.init(meshName: name, locked: flags == 1, port: port)
    }
}
