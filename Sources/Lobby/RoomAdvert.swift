@preconcurrency import Crypto
import MeshTransport
import MeshplayCore

/// What a room says about itself to people who have not joined it: the few facts a
/// room list shows, signed by its host. Resolvers carry it as opaque bytes next to the host's
/// address (the LAN announcement's details, see MeshProtocol.md), so it holds nothing secret:
/// no password, no seed, no member names, no game configuration.
///
/// Layout (RoomProtocol.md, "Room adverts"): version = 2 (1), flags (1; bit 0 = locked,
/// bit 1 = game running), room name (varint length ≤ 48), game id (varint length ≤ 32),
/// game version (u16 LE), map (varint length ≤ 48), members (varint ≤ 32),
/// player cap (varint 1 ... 32), host public key (32), Ed25519 signature (64) over
/// ``signatureDomain`` followed by every byte before the signature. At most ``maxEncodedBytes`` bytes.
public struct RoomAdvert: Hashable, Sendable {
    /// The advert's format version; others are refused.
    public static let version: UInt8 = 2
    /// The domain-separation prefix of the signed bytes.
    public static let signatureDomain = "meshplay-room-advert-v2"
    /// Bytes of the host's public key and of its signature.
    static let keyBytes = 32
    static let signatureBytes = 64
    /// The longest encoding; every field is bounded so this is a hard limit (233, under the
    /// LAN announcement's 256 bytes of details).
    public static let maxEncodedBytes = 2 + 1 + RoomSettings.maxNameBytes + 1 + GameIdentity.maxIDBytes + 2
        + 1 + RoomSettings.maxMapBytes + 1 + 1 + keyBytes + signatureBytes

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
    /// The room's host: whose key signs the advert (a decoded advert's host is the signer's peer id).
    public var host: PeerID

    /// An advert; names are sanitised and numbers clamped as ``RoomSettings`` does.
    public init(roomName: String, game: GameIdentity, map: String, memberCount: Int, playerCap: Int, locked: Bool, isRunning: Bool,
                host: PeerID) {
        self.roomName = ChatText.sanitize(roomName, maxCharacters: 32, maxBytes: RoomSettings.maxNameBytes)
        self.game = GameIdentity(id: ChatText.sanitize(game.id, maxCharacters: GameIdentity.maxIDBytes, maxBytes: GameIdentity.maxIDBytes),
                                 version: game.version)
        self.map = ChatText.sanitize(map, maxCharacters: 32, maxBytes: RoomSettings.maxMapBytes)
        self.playerCap = min(max(playerCap, 1), PlayerSlot.capacity)
        self.memberCount = min(max(memberCount, 0), PlayerSlot.capacity)
        self.locked = locked
        self.isRunning = isRunning
        self.host = host
    }

    /// The advert for a room a host summarised.
    public init(_ summary: RoomSummary) {
        self.init(roomName: summary.settings.name, game: summary.settings.game, map: summary.settings.map,
                  memberCount: summary.memberCount, playerCap: summary.settings.playerCap,
                  locked: summary.settings.hasPassword, isRunning: summary.isRunning, host: summary.host)
    }

    /// Whether another member fits.
    public var isFull: Bool { memberCount >= playerCap }

    /// The room's id (its host's).
    public var roomID: RoomID { RoomID(host: host) }

    /// The advert's bytes, signed by `identity`: the host's own (the decoded advert names the signer as host).
    public func encoded(signedBy identity: NodeIdentity) -> [UInt8] {
        var writer = ByteWriter(capacity: Self.maxEncodedBytes)
        writer.writeUInt8(Self.version)
        writer.writeUInt8((locked ? 1 : 0) | (isRunning ? 2 : 0))
        writer.writeString(roomName)
        game.write(to: &writer)
        writer.writeString(map)
        writer.writeVarint(memberCount)
        writer.writeVarint(playerCap)
        writer.writeBytes(identity.publicKey.rawRepresentation)
        let signed = writer.bytes
        writer.writeBytes(identity.sign(Array(Self.signatureDomain.utf8) + signed))
        return writer.bytes
    }

    /// Parses an advert; nil for anything malformed, oversized, of another version (version 1
    /// included), or whose signature does not verify under the key it carries.
    public init?(decoding bytes: [UInt8]) {
        guard bytes.count <= Self.maxEncodedBytes, bytes.count > Self.signatureBytes else { return nil }
        let signed = Array(bytes.dropLast(Self.signatureBytes))
        var reader = ByteReader(signed)
        do {
            guard try reader.readUInt8() == Self.version else { return nil }
            let flags = try reader.readUInt8()
            guard flags <= 3 else { return nil }
            let name = try reader.readString(maxBytes: RoomSettings.maxNameBytes)
            let game = try GameIdentity.read(from: &reader)
            let map = try reader.readString(maxBytes: RoomSettings.maxMapBytes)
            let members = try reader.readVarint(max: PlayerSlot.capacity, "members")
            let cap = try reader.readVarint(max: PlayerSlot.capacity, "player cap")
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: try reader.readBytes(count: Self.keyBytes))
            try reader.expectEnd()
            guard cap >= 1, !name.isEmpty else { return nil }
            let signature = Array(bytes.suffix(Self.signatureBytes))
            guard NodeIdentity.isValidSignature(signature, for: Array(Self.signatureDomain.utf8) + signed, publicKey: key) else { return nil }
            // The initialiser sanitises the names again: a hostile advert must not reach a terminal.
            self.init(roomName: name, game: game, map: map, memberCount: members, playerCap: cap,
                      locked: flags & 1 != 0, isRunning: flags & 2 != 0, host: PeerID(publicKey: key))
        } catch {
            return nil
        }
    }
}
