import MeshplayCore
import MeshTransport

/// Asks a few mesh addresses which room they are in and how far away they are, without
/// joining anything: the sans-I/O core behind the lobby's room list.
///
/// The probe is a *link-only* node of the lobby mesh: it opens sealed links to the
/// addresses (same credentials as the rooms), sends each a room query on ``RoomCore/channel``
/// (the existing `query`/`info` messages, RoomProtocol.md) and reads the link's smoothed
/// round trip from the endpoint. It never sends a membership record, so no node ever lists
/// it as a mesh member: no `memberJoined`/`memberLeft` reaches a room or a game, nobody
/// links to it, relays skip it (``MeshNode`` relays only through members), and it leaves by
/// closing its links (each peer is told and sees a plain `linkLost` of a non-member).
///
/// Driven like ``MeshNode``: the shell hands it every endpoint event with
/// ``handle(_:endpoint:at:)`` and calls ``tick(endpoint:at:)`` every few milliseconds; both
/// return the links to open or close. It reads no clock and owns no socket.
///
/// Bounded: at most ``maxAddresses`` addresses, one deadline for the whole round. When every
/// address is settled (or the deadline passes) it closes its links and ``isFinished`` is true.
public struct RoomProbe<Address: LinkAddress>: Sendable {
    /// The most addresses one round asks.
    public static var maxAddresses: Int { 32 }

    /// What an address said.
    public enum Outcome: Sendable, Equatable {
        /// The node is in this room (it may be a member rather than the host: see ``RoomSummary/host``).
        case room(RoomSummary)
        /// The node answered: it is in no room.
        case noRoom
        /// A link came up but no answer arrived by the deadline.
        case noAnswer
        /// No link by the deadline.
        case unreachable
    }

    /// One address's report.
    public struct Result: Sendable, Equatable {
        /// The address asked.
        public var address: Address
        /// The node that answered there, if a link came up.
        public var peer: PeerID?
        /// What it said.
        public var outcome: Outcome
        /// The round trip: the least of the query-to-answer times and the link's smoothed RTT
        /// over ``RoomProbe/exchanges`` queries (a lost packet inflates one sample, not the least);
        /// nil when nothing was measured.
        public var roundTrip: TimeSpan?
        /// How the link ran (direct, or through a hole its host punched toward the probe); nil without one.
        public var path: LinkPath?

        /// A report.
        public init(address: Address, peer: PeerID?, outcome: Outcome, roundTrip: TimeSpan?, path: LinkPath? = nil) {
            self.address = address
            self.peer = peer
            self.outcome = outcome
            self.roundTrip = roundTrip
            self.path = path
        }
    }

    /// Links for the shell to open or close.
    public struct Requests: Sendable, Equatable {
        /// Addresses to connect to.
        public var connects: [Address] = []
        /// Peers to disconnect (the probe is leaving).
        public var disconnects: [PeerID] = []

        /// Requests.
        public init(connects: [Address] = [], disconnects: [PeerID] = []) {
            self.connects = connects
            self.disconnects = disconnects
        }
    }

    struct Target: Sendable {
        var address: Address
        var peer: PeerID?
        var outcome: Outcome?
        var roundTrip: TimeSpan?
        var path: LinkPath?
        var lastQueryAt: Timestamp?
        var answers = 0
        var settled = false
    }

    /// Queries asked one after another per address, each after the last answer: the round trip
    /// is the least sample, so one lost packet does not turn a 1 ms link into a 1 s ping.
    public static var exchanges: Int { 3 }

    private var targets: [Target]
    private let timeout: TimeSpan
    /// Bound, but its addresses not given yet (``init(timeout:)``): the round has not begun.
    public private(set) var isWaiting = false
    private var deadline: Timestamp?
    /// Answers dropped: unsigned, or not the answering peer's signature for this probe.
    public private(set) var refusedAnswers = 0
    /// True once the links were closed: the round is over.
    public private(set) var isFinished = false
    /// Whether the driver was told the round is over (``EndpointCore`` use).
    private var reportedFinish = false

    /// A probe of `addresses` (duplicates dropped, at most ``maxAddresses``), settled within `timeout` of its first tick.
    public init(addresses: [Address], timeout: TimeSpan = .seconds(2)) {
        targets = Self.targets(addresses)
        self.timeout = timeout
    }

    /// A probe whose addresses come later, with ``begin(addresses:)``. Its shell binds the socket
    /// first, so a rendezvous node can be told that socket's port (an introduction: the hosts
    /// behind NATs punch toward it) before the round asks anyone. Until then it asks nothing
    /// and closes any link that comes.
    public init(timeout: TimeSpan) {
        targets = []
        self.timeout = timeout
        isWaiting = true
    }

    /// Gives a waiting or finished probe its (next) addresses (duplicates dropped, at most
    /// ``maxAddresses``); the round starts at the next tick. A socket kept from round to round
    /// keeps the NAT holes punched toward it open. Does nothing during a round.
    public mutating func begin(addresses: [Address]) {
        guard isWaiting || isFinished else { return }
        targets = Self.targets(addresses)
        deadline = nil
        isWaiting = false
        isFinished = false
        reportedFinish = false
    }

    private static func targets(_ addresses: [Address]) -> [Target] {
        var unique: [Address] = []
        for address in addresses where !unique.contains(address) && unique.count < Self.maxAddresses { unique.append(address) }
        return unique.map { Target(address: $0) }
    }

    /// One result per address, in the order given; addresses not settled yet are reported as they stand.
    public var results: [Result] {
        targets.map { target in
            Result(address: target.address, peer: target.peer,
                   outcome: target.outcome ?? (target.peer == nil ? .unreachable : .noAnswer), roundTrip: target.roundTrip,
                   path: target.peer == nil ? nil : target.path)
        }
    }

    // MARK: Inputs

    /// Handles one event of the endpoint.
    public mutating func handle(_ event: LinkEvent<Address>, endpoint: inout MeshEndpoint<Address>, at now: Timestamp) -> Requests {
        guard !isFinished, !isWaiting else {
            // Anyone linking in before or after the round gets the door closed.
            if case .linkUp(let peer, _) = event { return Requests(disconnects: [peer]) }
            return Requests()
        }
        var requests = Requests()
        switch event {
        case .linkUp(let peer, let address):
            guard let index = targets.firstIndex(where: { $0.address == address && $0.peer == nil }) else {
                if !targets.contains(where: { $0.peer == peer }) { requests.disconnects.append(peer) }
                break
            }
            targets[index].peer = peer
            targets[index].path = endpoint.path(to: peer)
            query(peer, endpoint: &endpoint, at: now)
        case .message(let peer, let channel, let bytes, let reliable):
            guard reliable, channel == RoomCore.channel, case .signedInfo(let info)? = try? RoomMessage(decoding: bytes) else { break }
            // Only the answering peer's own signature, made for us, counts: a forged or relayed answer is dropped.
            guard info.isValid(answerer: peer, asker: endpoint.peerID) else {
                refusedAnswers += 1
                break
            }
            let summary = info.summary
            let linkRTT = endpoint.stats(for: peer)?.smoothedRTT
            let path = endpoint.path(to: peer)
            var more = false
            for index in targets.indices where targets[index].peer == peer && !targets[index].settled {
                // Asked again: a punch that came after the link's first datagram still labels it.
                targets[index].path = path
                targets[index].outcome = summary.map(Outcome.room) ?? .noRoom
                targets[index].answers += 1
                let sample = targets[index].lastQueryAt.map { now - $0 }
                for candidate in [sample, linkRTT, targets[index].roundTrip].compactMap({ $0 }) {
                    targets[index].roundTrip = min(targets[index].roundTrip ?? candidate, candidate)
                }
                if targets[index].answers < Self.exchanges { more = true }
            }
            if more { query(peer, endpoint: &endpoint, at: now) }
        case .linkLost(let peer, _):
            // Lost before answering: try again while the round lasts.
            for index in targets.indices where targets[index].peer == peer && targets[index].outcome == nil {
                guard endpoint.address(of: peer) == nil else { continue }
                targets[index].peer = nil
                targets[index].lastQueryAt = nil
                requests.connects.append(targets[index].address)
            }
        case .connectFailed(let address):
            if targets.contains(where: { $0.address == address && $0.peer == nil }) { requests.connects.append(address) }
        }
        return requests
    }

    /// Starts the round on the first call, settles what is due and, once all is settled, leaves.
    public mutating func tick(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) -> Requests {
        guard !isFinished, !isWaiting else { return Requests() }
        var requests = Requests()
        guard let deadline else {
            deadline = now + timeout
            requests.connects = targets.map(\.address)
            if targets.isEmpty { isFinished = true }
            return requests
        }
        for index in targets.indices where !targets[index].settled && targets[index].outcome != nil {
            if targets[index].answers >= Self.exchanges || now >= deadline { targets[index].settled = true }
        }
        if now >= deadline || targets.allSatisfy(\.settled) {
            isFinished = true
            requests.disconnects = endpoint.connectedPeers
        }
        return requests
    }

    /// Ends the round now (links closed; unsettled addresses report as they stand).
    public mutating func stop(endpoint: inout MeshEndpoint<Address>) -> Requests {
        guard !isFinished else { return Requests() }
        isFinished = true
        return Requests(disconnects: endpoint.connectedPeers)
    }

    // MARK: Internals

    /// Asks `peer` (once, whichever targets share it) and notes when.
    private mutating func query(_ peer: PeerID, endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        guard endpoint.sendReliable(RoomMessage.query.bytes, channel: RoomCore.channel, to: peer) == .queued else { return }
        for index in targets.indices where targets[index].peer == peer { targets[index].lastQueryAt = now }
    }
}

extension RoomProbe: EndpointCore {
    /// The one event a probe reports to its driver: the round is over, with one result per address.
    public enum Event: Sendable, Equatable {
        case finished([Result])
    }

    public mutating func receive(
        _ event: LinkEvent<Address>, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, Event>
    ) {
        report(handle(event, endpoint: &endpoint, at: now), into: &output)
    }

    public mutating func tick(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, Event>) {
        report(tick(endpoint: &endpoint, at: now), into: &output)
    }

    /// Ends the round now (see ``stop(endpoint:)``), reporting it to the driver.
    public mutating func stop(endpoint: inout MeshEndpoint<Address>, into output: inout CoreOutput<Address, Event>) {
        report(stop(endpoint: &endpoint), into: &output)
    }

    private mutating func report(_ requests: Requests, into output: inout CoreOutput<Address, Event>) {
        output.connects += requests.connects
        output.disconnects += requests.disconnects
        if isFinished, !reportedFinish {
            reportedFinish = true
            output.events.append(.finished(results))
        }
    }
}
