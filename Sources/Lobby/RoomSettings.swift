import MeshplayCore

/// What a room plays and how: agreed once by its creator and carried in every
/// room state, so every member starts the game with the same settings.
///
/// The password is not part of the settings: only the host holds it (see
/// ``RoomPassword``); the settings only say whether there is one.
public struct RoomSettings: Sendable, Equatable {
    /// The most bytes of a room name.
    public static let maxNameBytes = 48
    /// The most bytes of a map name.
    public static let maxMapBytes = 48
    /// The most bytes of a game's encoded configuration.
    public static let maxConfigBytes = 2048

    /// The room's display name (sanitised like chat, at most ``maxNameBytes`` bytes).
    public var name: String
    /// The game and its rules version.
    public var game: GameIdentity
    /// The map's name, for lists (the map itself is in ``configBytes``).
    public var map: String
    /// The canonical encoding of the game's configuration.
    public var configBytes: [UInt8]
    /// The most members the room admits (1 ... 32).
    public var playerCap: Int
    /// Simulation ticks per second.
    public var tickRate: Int
    /// The match length in ticks (0: the game decides).
    public var matchLengthTicks: UInt32
    /// Whether joining needs the room password.
    public var hasPassword: Bool
    /// Whether the room starts by itself as soon as it is full (for bot rooms).
    public var startsWhenFull: Bool

    /// Settings; the name and map are sanitised and the numbers clamped to their ranges.
    public init(
        name: String, game: GameIdentity, map: String, configBytes: [UInt8] = [], playerCap: Int,
        tickRate: Int = 30, matchLengthTicks: UInt32 = 0, hasPassword: Bool = false, startsWhenFull: Bool = false
    ) {
        self.name = ChatText.sanitize(name, maxCharacters: 32, maxBytes: Self.maxNameBytes)
        self.game = game
        self.map = ChatText.sanitize(map, maxCharacters: 32, maxBytes: Self.maxMapBytes)
        self.configBytes = Array(configBytes.prefix(Self.maxConfigBytes))
        self.playerCap = min(max(playerCap, 1), PlayerSlot.capacity)
        self.tickRate = min(max(tickRate, 1), 1000)
        self.matchLengthTicks = matchLengthTicks
        self.hasPassword = hasPassword
        self.startsWhenFull = startsWhenFull
    }

    func encode(to writer: inout ByteWriter) {
        writer.writeString(name)
        writer.writeString(game.id)
        writer.writeUInt16(game.version)
        writer.writeString(map)
        writer.writeLengthPrefixed(configBytes)
        writer.writeVarint(playerCap)
        writer.writeVarint(tickRate)
        writer.writeUInt32(matchLengthTicks)
        writer.writeBool(hasPassword)
        writer.writeBool(startsWhenFull)
    }

    init(from reader: inout ByteReader) throws {
        // Names from the wire are sanitised again: a hostile host must not reach a terminal.
        name = ChatText.sanitize(try reader.readString(maxBytes: Self.maxNameBytes), maxCharacters: 32, maxBytes: Self.maxNameBytes)
        game = try GameIdentity.read(from: &reader)
        map = ChatText.sanitize(try reader.readString(maxBytes: Self.maxMapBytes), maxCharacters: 32, maxBytes: Self.maxMapBytes)
        configBytes = try reader.readLengthPrefixed(max: Self.maxConfigBytes)
        playerCap = try reader.readVarint(max: PlayerSlot.capacity, "player cap")
        guard playerCap >= 1 else { throw reader.error("player cap 0") }
        tickRate = try reader.readVarint(max: 1000, "tick rate")
        guard tickRate >= 1 else { throw reader.error("tick rate 0") }
        matchLengthTicks = try reader.readUInt32()
        hasPassword = try reader.readBool()
        startsWhenFull = try reader.readBool()
    }
}

extension GameIdentity {
    /// The most bytes of a game id on the wire.
    static let maxIDBytes = 32

    func write(to writer: inout ByteWriter) {
        writer.writeString(id)
        writer.writeUInt16(version)
    }

    static func read(from reader: inout ByteReader) throws -> GameIdentity {
        let id = try reader.readString(maxBytes: maxIDBytes)
        return GameIdentity(id: id, version: try reader.readUInt16())
    }
}
