import Lobby
import MeshTransport
import MeshplayCore

/// One room on the network as the lobby lists it. Anything not known before joining is
/// nil and shows as "?": a `--peer` or `--resolver` address says where a mesh member
/// listens, not which room it hosts, until the room probe (``RoomProbe``) has asked it.
public struct RoomListing: Hashable, Sendable {
    /// The room's name (sanitised); nil when only the address is known.
    public var name: String?
    /// The game's id ("snake").
    public var game: String?
    /// The map's name.
    public var map: String?
    /// Members now, as the host announced it.
    public var players: Int?
    /// The most members the room admits.
    public var capacity: Int?
    /// Round trip to the node at ``address``, when the room probe measured it.
    public var pingMilliseconds: Int?
    /// Needs a password; nil when unknown.
    public var locked: Bool?
    /// A game is under way (a join would be refused until it ends).
    public var running: Bool
    /// The host's mesh address, `HOST:PORT`: the `--peer` the join goes through.
    public var address: String
    /// Where it was found: "LAN", "resolver HOST:PORT" or "peer".
    public var source: String
    /// The room's id (its host's, from a signed advert or answer); nil when only the address is known.
    public var roomID: RoomID?
    /// How the probe's link to ``address`` ran: direct, or punched (the host behind a NAT opened
    /// it when the resolver introduced the lobby); nil when the probe had no link.
    public var path: LinkPath?

    /// A row; every text is made safe for the terminal here, whoever built it.
    public init(name: String?, game: String?, map: String?, players: Int?, capacity: Int?, pingMilliseconds: Int?,
                locked: Bool?, running: Bool, address: String, source: String, roomID: RoomID? = nil, path: LinkPath? = nil) {
        self.name = name.map { ChatText.forDisplay($0, maxCharacters: 32) }
        self.game = game.map { ChatText.forDisplay($0, maxCharacters: 16) }
        self.map = map.map { ChatText.forDisplay($0, maxCharacters: 32) }
        self.players = players
        self.capacity = capacity
        self.pingMilliseconds = pingMilliseconds
        self.locked = locked
        self.running = running
        self.address = ChatText.forDisplay(address, maxCharacters: 64)
        self.source = ChatText.forDisplay(source, maxCharacters: 64)
        self.roomID = roomID
        self.path = path
    }

    /// The resolver this row was found at (`HOST:PORT`, from a ``source`` of `resolver HOST:PORT`),
    /// nil for a LAN or `--peer` row. A join of the row goes through it: introduced to the host,
    /// so a host behind a NAT punches toward the joiner, and relayed when no direct path answers.
    public var resolver: String? {
        source.hasPrefix(Self.resolverSourcePrefix) ? String(source.dropFirst(Self.resolverSourcePrefix.count)) : nil
    }

    /// Whether the lobby's probe reached the room's node (and measured its ping). A row a resolver
    /// described that no path reached from here (a symmetric NAT between) is not: joining it goes
    /// through the resolver, relayed when it relays.
    public var isReached: Bool { pingMilliseconds != nil }

    /// How ``source`` begins for a row a resolver answered with (`resolver HOST:PORT`).
    public static let resolverSourcePrefix = "resolver "

    /// The room as a person tells it from others of its name: `duo #k3f9a2xq` (`?` when unknown).
    public var title: String {
        (name ?? "?") + (roomID.map { " #\($0)" } ?? "")
    }

    /// What a join of this row asks for: `NAME#ID`, exactly this room (the name alone when the id is unknown).
    public var joinTarget: String? {
        name.map { name in name + (roomID.map { "#\($0)" } ?? "") }
    }

    /// A row from a host's advert.
    public init(advert: RoomAdvert, address: String, source: String, pingMilliseconds: Int? = nil, path: LinkPath? = nil) {
        self.init(name: advert.roomName, game: advert.game.id, map: advert.map, players: advert.memberCount,
                  capacity: advert.playerCap, pingMilliseconds: pingMilliseconds, locked: advert.locked,
                  running: advert.isRunning, address: address, source: source, roomID: advert.roomID, path: path)
    }

    /// A row for a bare member address (nothing known about its room).
    public init(address: String, source: String) {
        self.init(name: nil, game: nil, map: nil, players: nil, capacity: nil, pingMilliseconds: nil, locked: nil,
                  running: false, address: address, source: source)
    }
}
