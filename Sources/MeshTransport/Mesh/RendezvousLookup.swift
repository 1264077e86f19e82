import MeshplayCore

/// A joiner's search at a rendezvous node (sans-I/O; the `RendezvousClient` shell carries its
/// datagrams over one UDP socket): resolves its names every ``interval`` until its deadline,
/// not only once, so a registration that arrives late (a host still starting, a flood that
/// stopped) is still found. Every address heard is reported once, in the order heard.
public struct RendezvousLookup: Sendable {
    /// The names asked each round, in order (a room's own name before the shared lobby name).
    public let names: [String]
    /// The pause between rounds (2 s).
    public var interval: TimeSpan
    /// No round starts at or after this.
    public let deadline: Timestamp
    /// The addresses heard most recently, in the order first heard, at most ``maxFound``: when
    /// full, the oldest makes room, so a flood of fresh addresses cannot shut out one heard later.
    public private(set) var found: [UDPAddress] = []
    /// Rounds sent so far.
    public private(set) var rounds = 0
    /// The most addresses kept (the mesh joins through a few; more only cost hellos).
    public static let maxFound = 64
    /// The asker's own game port, when it asks to be introduced: each round then asks for its
    /// first name (a room's own name) with an introduction (the node tells that name's members
    /// to punch toward this port at the asker's IP), the rest with plain resolves.
    public let introducingPort: UInt16?
    /// How long after a room member is first heard the search asks the node to relay to it,
    /// if the search is still running (the joiner is not in its room): nil never asks.
    public var relayAfter: TimeSpan?
    /// Room members asked for through the relay at most (a room seats 16).
    public static let maxRelayed = 16
    /// Addresses the asker's links already run at: a room member heard at one of them is
    /// reached and never asked for through the relay. The shell updates it before each tick.
    public var reached: [UDPAddress] = []
    /// A relay granted to one of the room's members: bind `port` of the node with `token`, then dial it.
    public struct RelayGrant: Sendable, Equatable {
        public let member: UDPAddress
        public let port: UInt16
        public let token: [UInt8]
    }
    /// Addresses heard under the first name (the room's own), when first heard.
    private var roomMembers: [(address: UDPAddress, heardAt: Timestamp?)] = []
    private var relayCookie: [UInt8]?
    private let firstRequestID: UInt64
    private var nextRound: Timestamp

    /// A search for `names` starting at `now`. `requestIDs` should be random (the shell's
    /// entropy): answers are matched by their request id, so a stranger cannot guess one.
    public init(
        names: [String], from now: Timestamp, until deadline: Timestamp, interval: TimeSpan = .seconds(2), requestIDs: UInt64,
        introducingPort: UInt16? = nil
    ) {
        self.names = names
        self.introducingPort = introducingPort
        self.interval = interval
        self.deadline = deadline
        firstRequestID = requestIDs
        nextRound = now
    }

    /// Whether the search is over at `now` (its deadline passed).
    public func isOver(at now: Timestamp) -> Bool { now >= deadline }

    /// When ``tick(at:)`` next sends a round.
    public var nextDeadline: Timestamp { min(nextRound, deadline) }

    /// The resolve (or introduce) requests due at `now` (one per name), to send to the node,
    /// and relay requests for the room's members heard ``relayAfter`` ago or more.
    public mutating func tick(at now: Timestamp) -> [[UInt8]] {
        guard now >= nextRound, !isOver(at: now) else { return [] }
        nextRound = now + interval
        let base = firstRequestID &+ UInt64(rounds) &* UInt64(names.count)
        rounds += 1
        for index in roomMembers.indices where roomMembers[index].heardAt == nil { roomMembers[index].heardAt = now }
        return names.indices.map { index in
            let id = base &+ UInt64(index)
            // Only the first name (a room's own) asks for punches: the lobby name's every member need not.
            if index == 0, let port = introducingPort { return RendezvousMessage.introduce(requestID: id, meshName: names[index], port: port).encoded }
            return RendezvousMessage.resolve(requestID: id, meshName: names[index]).encoded
        } + roomMembers.indices.compactMap { relayRequest(for: $0, at: now) }
    }

    /// The relay request for room member `index`, if it is due.
    private func relayRequest(for index: Int, at now: Timestamp) -> [UInt8]? {
        // Two members that ask for each other get one pair: the node matches them by their game addresses.
        guard let relayAfter, let port = introducingPort, let heard = roomMembers[index].heardAt, now - heard >= relayAfter,
              !reached.contains(roomMembers[index].address) else { return nil }
        return RendezvousMessage.relayRequest(
            nonce: relayNonce(index), cookie: relayCookie, port: port, meshName: names[0], member: roomMembers[index].address).encoded
    }

    private func relayNonce(_ index: Int) -> UInt64 { (firstRequestID ^ 0x5245_4C41_5900_0000) &+ UInt64(index) }

    private func relayIndex(of nonce: UInt64) -> Int? {
        let offset = nonce &- (firstRequestID ^ 0x5245_4C41_5900_0000)
        return offset < UInt64(roomMembers.count) ? Int(offset) : nil
    }

    /// Takes a datagram from the node: returns the addresses it adds to ``found``, appends to
    /// `replies` what to send back at once (relay requests again, with the node's cookie) and
    /// to `grants` the relays the node granted.
    public mutating func receive(_ bytes: [UInt8], at now: Timestamp, replies: inout [[UInt8]], grants: inout [RelayGrant]) -> [UDPAddress] {
        switch RendezvousMessage(decoding: bytes) {
        case .cookie(let nonce, let cookie):
            guard let index = relayIndex(of: nonce), cookie != relayCookie else { return [] }
            relayCookie = cookie
            if let request = relayRequest(for: index, at: now) { replies.append(request) }
            return []
        case .relayGrant(let nonce, let port, let token):
            if let index = relayIndex(of: nonce), port != 0 { grants.append(RelayGrant(member: roomMembers[index].address, port: port, token: token)) }
            return []
        default:
            let added = receive(bytes)
            for index in roomMembers.indices where roomMembers[index].heardAt == nil {
                roomMembers[index].heardAt = now
                // Asked for through the relay at once: no reason to wait a round.
                if relayAfter == .zero, let request = relayRequest(for: index, at: now) { replies.append(request) }
            }
            return added
        }
    }

    /// Takes a datagram from the node; returns the addresses it adds to ``found``.
    public mutating func receive(_ bytes: [UInt8]) -> [UDPAddress] {
        guard case .answer(let id, let addresses) = RendezvousMessage(decoding: bytes),
              id &- firstRequestID < UInt64(rounds) &* UInt64(names.count) else { return [] }
        if (id &- firstRequestID) % UInt64(names.count) == 0 {
            for address in addresses where roomMembers.count < Self.maxRelayed && !roomMembers.contains(where: { $0.address == address }) {
                roomMembers.append((address, nil))
            }
        }
        var added: [UDPAddress] = []
        for address in addresses where !found.contains(address) {
            if found.count >= Self.maxFound { found.removeFirst() }
            found.append(address)
            added.append(address)
        }
        return added
    }
}
