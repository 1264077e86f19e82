import Lobby
import MeshTransport
import MeshplayCore

/// What a spectator (or a player rejoining its seat) and the player feeding it say to each
/// other, on the reliable channel ``channel``: a subscription, then the match's history as
/// replay bytes (`MatchHistory`), growing as the match goes on.
///
/// Encoding: a version byte (1), a kind byte, the fields; anything malformed is ignored by
/// the receiver. Bounds: a piece of history is at most ``maxPiece`` bytes; a seat list at most 32 ids.
public enum WatchMessage: Equatable, Sendable {
    /// Send me the running match's history from its start, and keep sending. `rejoin`: I am
    /// the player of one of its seats (the seat whose peer id is mine) and want it back.
    case subscribe(rejoin: Bool)
    /// Who holds each seat, by slot, and the room's round: sent once, before any history.
    case seats(round: UInt32, players: [PeerID])
    /// Bytes `offset ..< offset + bytes.count` of the history.
    case history(offset: UInt64, bytes: [UInt8])
    /// The subscription is refused (or ended), and why, in words.
    case refused(String)
    /// A rejoining player has caught up: put it back in its seat.
    case seatMe
    /// The seat is scheduled: the returning player plays again from `atTick`; the feeder had
    /// `dueTick` due when it said so. The history keeps coming up to `atTick`.
    case seated(atTick: UInt32, dueTick: UInt32)
    /// The spectator stops watching.
    case unsubscribe

    /// The reliable mesh channel of these messages.
    public static let channel: UInt8 = 18
    /// The encoding's version.
    static let version: UInt8 = 1
    /// The most history bytes in one message.
    public static let maxPiece = 16 * 1024
    /// The most bytes of a refusal's text.
    static let maxReasonBytes = 160

    enum Kind: UInt8 {
        case subscribe = 1, seats, history, refused, seatMe, unsubscribe, seated
    }

    /// The encoded message.
    public var bytes: [UInt8] {
        var writer = ByteWriter(capacity: 32)
        writer.writeByte(Self.version)
        switch self {
        case .subscribe(let rejoin):
            writer.writeByte(Kind.subscribe.rawValue)
            writer.writeBool(rejoin)
        case .seats(let round, let players):
            writer.writeByte(Kind.seats.rawValue)
            writer.writeUInt32(round)
            writer.writeVarint(players.count)
            for player in players { player.write(to: &writer) }
        case .history(let offset, let bytes):
            writer.writeByte(Kind.history.rawValue)
            writer.writeVarint(offset)
            writer.writeBytes(bytes)
        case .refused(let reason):
            writer.writeByte(Kind.refused.rawValue)
            writer.writeString(Self.cut(reason))
        case .seatMe:
            writer.writeByte(Kind.seatMe.rawValue)
        case .unsubscribe:
            writer.writeByte(Kind.unsubscribe.rawValue)
        case .seated(let tick, let due):
            writer.writeByte(Kind.seated.rawValue)
            writer.writeVarint(UInt64(tick))
            writer.writeVarint(UInt64(due))
        }
        return writer.bytes
    }

    /// `text` cut to at most ``maxReasonBytes`` UTF-8 bytes at a character boundary (cutting the
    /// bytes instead could split a character, whose replacement then runs past the limit).
    static func cut(_ text: String) -> String {
        var cut = ""
        for character in text {
            guard cut.utf8.count + String(character).utf8.count <= maxReasonBytes else { break }
            cut.append(character)
        }
        return cut
    }

    /// Decodes a message; throws on anything malformed.
    public init(decoding bytes: [UInt8]) throws {
        var reader = ByteReader(bytes)
        guard try reader.readByte() == Self.version else { throw reader.error("unknown watch message version") }
        guard let kind = Kind(rawValue: try reader.readByte()) else { throw reader.error("unknown watch message kind") }
        switch kind {
        case .subscribe:
            self = .subscribe(rejoin: try reader.readBool())
        case .seats:
            let round = try reader.readUInt32()
            let count = try reader.readVarint(max: 32, "seat count")
            var players: [PeerID] = []
            for _ in 0..<count { players.append(try PeerID.read(from: &reader)) }
            self = .seats(round: round, players: players)
        case .history:
            let offset = try reader.readVarint(max: Int(UInt32.max), "history offset")
            guard reader.remaining <= Self.maxPiece else { throw reader.error("history piece over \(Self.maxPiece) bytes") }
            self = .history(offset: UInt64(offset), bytes: try reader.readBytes(count: reader.remaining))
        case .refused:
            self = .refused(try reader.readString(maxBytes: Self.maxReasonBytes))
        case .seatMe:
            self = .seatMe
        case .unsubscribe:
            self = .unsubscribe
        case .seated:
            let tick = UInt32(try reader.readVarint(max: Int(UInt32.max), "seat tick"))
            self = .seated(atTick: tick, dueTick: UInt32(try reader.readVarint(max: Int(UInt32.max), "due tick")))
        }
        try reader.expectEnd("watch message")
    }
}
