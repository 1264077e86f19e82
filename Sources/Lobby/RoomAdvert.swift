import MeshplayCore

/// What a room says about itself to people who have not joined it: the few facts a
/// room list shows. Resolvers carry it as opaque bytes next to the host's address
/// (the LAN announcement's details, see MeshProtocol.md), so it holds nothing secret:
/// no password, no seed, no member names, no game configuration.
///
/// Layout (RoomProtocol.md, "Room adverts"): version = 1 (1), flags (1; bit 0 = locked,
/// bit 1 = game running), room name (varint length ≤ 48), game id (varint length ≤ 32),
/// game version (u16 LE), map (varint length ≤ 48), members (varint ≤ 32),
/// player cap (varint 1 ... 32). At most ``maxEncodedBytes`` bytes.
public struct RoomAdvert: Sendable, Equatable {
    /// The longest encoding; every field is bounded so this is a hard limit.
    public static let maxEncodedBytes = 2 + 1 + RoomSettings.maxNameBytes + 1 + GameIdentity.maxIDBytes + 2
        + 1 + RoomSettings.maxMapBytes + 1 + 1

    /// The room's display name (sanitised).
    public var roomName: String
    /// The game and its rules version.
    public var game: GameIdentity
    /// The map's name (sanitised).
    public var map: String
    /// Members now.
    public var memberCount: Int
    /// The most members the room admits.
    public var playerCap: Int
    /// Whether joining needs the room password.
    public var locked: Bool
    /// Whether a game is starting or running (joins are refused meanwhile).
    public var isRunning: Bool

    /// An advert; names are sanitised and numbers clamped as ``RoomSettings`` does.
    public init(roomName: String, game: GameIdentity, map: String, memberCount: Int, playerCap: Int, locked: Bool, isRunning: Bool) {
        self.roomName = ChatText.sanitize(roomName, maxCharacters: 32, maxBytes: RoomSettings.maxNameBytes)
        self.game = GameIdentity(id: ChatText.sanitize(game.id, maxCharacters: GameIdentity.maxIDBytes, maxBytes: GameIdentity.maxIDBytes),
                                 version: game.version)
        self.map = ChatText.sanitize(map, maxCharacters: 32, maxBytes: RoomSettings.maxMapBytes)
        self.playerCap = min(max(playerCap, 1), PlayerSlot.capacity)
        self.memberCount = min(max(memberCount, 0), PlayerSlot.capacity)
        self.locked = locked
        self.isRunning = isRunning
    }

    /// The advert for a room a host summarised.
    public init(_ summary: RoomSummary) {
        self.init(roomName: summary.settings.name, game: summary.settings.game, map: summary.settings.map,
                  memberCount: summary.memberCount, playerCap: summary.settings.playerCap,
                  locked: summary.settings.hasPassword, isRunning: summary.isRunning)
    }

    /// Whether another member fits.
    public var isFull: Bool { memberCount >= playerCap }

    /// The advert's bytes.
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: Self.maxEncodedBytes)
        writer.writeUInt8(1)
        writer.writeUInt8((locked ? 1 : 0) | (isRunning ? 2 : 0))
        writer.writeString(roomName)
        game.write(to: &writer)
        writer.writeString(map)
        writer.writeVarint(memberCount)
        writer.writeVarint(playerCap)
        return writer.bytes
    }

    /// Parses an advert; nil for anything malformed, oversized or of another version.
    public init?(decoding bytes: [UInt8]) {
        guard bytes.count <= Self.maxEncodedBytes else { return nil }
        var reader = ByteReader(bytes)
        do {
            guard try reader.readUInt8() == 1 else { return nil }
            let flags = try reader.readUInt8()
            guard flags <= 3 else { return nil }
            let name = try reader.readString(maxBytes: RoomSettings.maxNameBytes)
            let game = try GameIdentity.read(from: &reader)
            let map = try reader.readString(maxBytes: RoomSettings.maxMapBytes)
            let members = try reader.readVarint(max: PlayerSlot.capacity, "members")
            let cap = try reader.readVarint(max: PlayerSlot.capacity, "player cap")
            try reader.expectEnd()
            guard cap >= 1, !name.isEmpty else { return nil }
            // The initialiser sanitises the names again: a hostile advert must not reach a terminal.
            self.init(roomName: name, game: game, map: map, memberCount: members, playerCap: cap,
                      locked: flags & 1 != 0, isRunning: flags & 2 != 0)
        } catch {
            return nil
        }
    }
}
