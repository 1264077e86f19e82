import Lobby
import MeshTransport

/// What one place the lobby looks in answered this round.
public struct RoomSourceReport: Hashable, Sendable {
    /// What the place found.
    public enum Outcome: Hashable, Sendable {
        /// Not asked yet (the first round is under way).
        case looking
        /// Rooms heard (LAN).
        case rooms(Int)
        /// Member addresses answered (resolver, peers): rooms unknown until queried.
        case members(Int)
        /// No answer in time.
        case unreachable
        /// Could not ask at all (the reason, e.g. the port is taken).
        case failed(String)
    }

    /// "LAN", "resolver 127.0.0.1:47000", "peers".
    public var label: String
    public var outcome: Outcome

    public init(label: String, outcome: Outcome) {
        self.label = label
        self.outcome = outcome
    }

    /// "LAN: 2 rooms", "resolver 127.0.0.1:47000: unreachable".
    public var text: String {
        switch outcome {
        case .looking: "\(label): looking…"
        case .rooms(let count): "\(label): \(count) room\(count == 1 ? "" : "s")"
        case .members(let count): "\(label): \(count) address\(count == 1 ? "" : "es")"
        case .unreachable: "\(label): unreachable"
        case .failed(let reason): "\(label): \(reason)"
        }
    }
}

/// The lobby's network rooms after one round of looking: a pure value built from what the
/// resolvers answered, so hostile answers are decoded, sanitised, de-duplicated and capped
/// here, in one place that tests can feed anything.
public struct RoomDirectory: Hashable, Sendable {
    /// The most rows listed, whatever a LAN full of announcers says.
    public static let maxRooms = 32

    /// One answer before decoding: where, and the details it carried (a signed ``RoomAdvert``'s
    /// bytes, or none), or the room a signed probe answer described there.
    public struct Heard: Hashable, Sendable {
        public var address: String
        public var details: [UInt8]
        public var source: String
        public var pingMilliseconds: Int?
        /// How the probe's link to ``address`` ran, when it had one.
        public var path: LinkPath?
        /// The room the probe's signed answer at ``address`` described (already verified: see
        /// ``RoomProbe``); it wins over ``details``.
        public var probed: RoomAdvert?

        public init(address: String, details: [UInt8], source: String, pingMilliseconds: Int? = nil, probed: RoomAdvert? = nil,
                    path: LinkPath? = nil) {
            self.address = address
            self.details = details
            self.source = source
            self.pingMilliseconds = pingMilliseconds
            self.probed = probed
            self.path = path
        }
    }

    /// The rows, sorted by room name (unknown names last), then address.
    public private(set) var rooms: [RoomListing]
    /// Where the lobby looked and what each place said.
    public private(set) var sources: [RoomSourceReport]

    /// Nothing asked yet.
    public init(sources: [RoomSourceReport] = []) {
        rooms = []
        self.sources = sources
    }

    /// The rows for `heard` (in the order heard; the first answer per address wins, an
    /// advert beats a bare address). Details that do not decode, or whose signature or
    /// version is wrong, are dropped, not guessed at. Rooms are told apart by id, not name:
    /// two hosts of one name are two rows; one room heard at two addresses is one row (the
    /// one the probe measured, else the first).
    public init(heard: [Heard], sources: [RoomSourceReport]) {
        var rows: [RoomListing] = []
        for answer in heard {
            let row: RoomListing
            if let advert = answer.probed ?? (answer.details.isEmpty ? nil : RoomAdvert(decoding: answer.details)) {
                row = RoomListing(advert: advert, address: answer.address, source: answer.source,
                                  pingMilliseconds: answer.pingMilliseconds, path: answer.path)
            } else if answer.details.isEmpty {
                row = RoomListing(address: answer.address, source: answer.source)
            } else {
                continue
            }
            if let index = rows.firstIndex(where: { $0.address == row.address }) {
                if rows[index].name == nil, row.name != nil { rows[index] = row }
            } else if let id = row.roomID, let index = rows.firstIndex(where: { $0.roomID == id }) {
                if rows[index].pingMilliseconds == nil, row.pingMilliseconds != nil { rows[index] = row }
            } else if rows.count < Self.maxRooms {
                rows.append(row)
            }
        }
        rooms = rows.sorted { a, b in
            switch (a.name, b.name) {
            case let (x?, y?) where x != y: x < y
            case (.some, nil): true
            case (nil, .some): false
            default: (a.roomID?.text ?? "", a.address) < (b.roomID?.text ?? "", b.address)
            }
        }
        self.sources = sources
    }

    /// The note under the list: where the lobby looked, honestly.
    public var note: String {
        sources.isEmpty ? "Network: not looking (local play only)." : sources.map(\.text).joined(separator: " · ")
    }
}
