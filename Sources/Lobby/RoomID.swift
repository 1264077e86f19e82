import Crypto
import MeshTransport
import MeshplayCore

/// A room's printable identity: 8 lowercase base32 characters (RFC 4648 alphabet `a`–`z`, `2`–`7`,
/// no padding) spelling the first 40 bits of `SHA-256("meshplay-room-id-v1" ‖ host peer id)`,
/// the peer id as its 16 wire bytes.
///
/// The id is bound to the host's signing key: the peer id is itself a digest of that key, and the
/// host signs its adverts and its room answers with it (RoomProtocol.md, "Room identity"). When the
/// host role passes to another member the id follows the new host's key. 40 bits tell rooms apart
/// for people; a node that stays in a room pins the host's full peer id, not these 8 characters.
public struct RoomID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Characters in an id.
    public static let length = 8
    /// The domain-separation prefix of the digest.
    static let domain = Array("meshplay-room-id-v1".utf8)
    private static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// The 8 characters.
    public let text: String

    /// The id of the room `host` hosts.
    public init(host: PeerID) {
        var hasher = SHA256()
        hasher.update(data: Self.domain)
        hasher.update(data: host.bytes)
        var value: UInt64 = 0
        for byte in Array(hasher.finalize()).prefix(5) { value = value << 8 | UInt64(byte) }
        var characters: [UInt8] = []
        for index in (0..<Self.length).reversed() { characters.append(Self.alphabet[Int(value >> UInt64(index * 5) & 31)]) }
        text = String(decoding: characters, as: UTF8.self)
    }

    /// Parses 8 base32 characters (upper case is accepted); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let lower = Array(text.lowercased().utf8)
        guard lower.count == Self.length, lower.allSatisfy(Self.alphabet.contains) else { return nil }
        self.text = String(decoding: lower, as: UTF8.self)
    }

    public var description: String { text }

    public static func < (lhs: RoomID, rhs: RoomID) -> Bool { lhs.text < rhs.text }
}

/// Which room a joiner asked for: `NAME` (any room of that name, refused when two answer),
/// `NAME#ID` (exactly that room) or `#ID` (the room with that id, whatever its name).
public struct RoomTarget: Hashable, Sendable, CustomStringConvertible {
    /// The room's name; nil for an id alone.
    public var name: String?
    /// The room's id; nil when only the name was given.
    public var id: RoomID?

    /// A target of a name, an id, or both.
    public init(name: String?, id: RoomID?) {
        self.name = name
        self.id = id
    }

    /// Reads `NAME`, `NAME#ID` or `#ID`: text after the last `#` is an id when it is 8 base32
    /// characters; otherwise the whole text is a name (names may hold `#`).
    public init(parsing text: String) {
        if let mark = text.lastIndex(of: "#"), let id = RoomID(text[text.index(after: mark)...]) {
            let name = String(text[..<mark])
            self.init(name: name.isEmpty ? nil : name, id: id)
        } else {
            self.init(name: text, id: nil)
        }
    }

    /// Whether `summary` is a room this target means.
    public func matches(_ summary: RoomSummary) -> Bool {
        (name == nil || summary.settings.name == name) && (id == nil || summary.roomID == id)
    }

    /// `NAME`, `NAME#ID` or `#ID`, as typed.
    public var description: String {
        (name ?? "") + (id.map { "#\($0)" } ?? "")
    }
}
