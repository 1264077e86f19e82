import Lobby
import Lockstep
import MeshTransport
import MeshplayCore

/// One player's node: mesh membership, the room, and lockstep over the mesh for each match,
/// recorded through a ``MatchRecorderFactory``. The one node type for people, bots and the
/// simulator; who chooses the inputs is a plug-in (``InputSource``), and so is who decides
/// what to do when no person does (``NodePilot``).
///
/// Sans-I/O: no clock, no socket, no file, no random source of its own (the endpoint's and
/// the room's entropy come in from the driver). A driver (`SimulatedDriver`, `UDPDriver`)
/// hands it every endpoint event and ticks it; commands (``perform(_:endpoint:at:into:)``)
/// come from the person's UI or from the pilot. Everything it reports is a ``NodeEvent``
/// in the driver's output; ``status(endpoint:)`` and ``snapshot(endpoint:)`` say what it is
/// doing. A node with no seat (a spectator) fits the same shape: its match part would
/// watch instead of play; nothing outside ``MatchCore`` assumes a seat.
///
/// Life: a node is idle until told to create or join a room; in the room it says ready
/// when its player is, and a host starts the match once everyone is; the match warms up
/// during the countdown, plays, lingers a moment for slower peers, closes its recording and
/// is back in the room; ``NodeCommand/leave`` leaves the room and the mesh.
public struct PeerNode<Address: MeshAddress>: EndpointCore {
    public typealias Event = NodeEvent

    /// This node.
    public let peerID: PeerID
    /// The timers and match settings.
    public let configuration: NodeConfiguration
    /// The games this node can play.
    public let catalog: GameCatalog
    /// Mesh members to join through when looking for a room (at most ``maxBootstrap``; the
    /// node's own first, then those heard later, oldest first).
    public private(set) var bootstrap: [Address]
    /// The most bootstrap addresses kept: a joiner connects to each, so more only cost hellos.
    public static var maxBootstrap: Int { 64 }
    /// How many of ``bootstrap`` came with the node (they are never replaced by later ones).
    private let initialBootstrapCount: Int

    var mesh: MeshNode<Address>
    /// Signs this node's attestations in every match.
    let identity: NodeIdentity
    var room: RoomCore
    var input: any InputSource
    var pilot: (any NodePilot)?
    let recorders: (any MatchRecorderFactory)?
    /// Mixed into each match's seed for the input source (bots draw their own streams).
    let inputSeed: UInt64
    var current: CurrentMatch?
    /// Nodes fed this node's running match (spectators, returning players).
    var subscribers: [FeedSubscriber] = []
    /// The match this node watches or catches up to, if any.
    var watching: Watching?
    var goal = Goal.none
    var playerName = ""
    var wantsReady = false
    var readySent: Bool?
    var nextReady = Timestamp.zero
    var nextSearch = Timestamp.zero
    var nextStart = Timestamp.zero
    var nextRoomTick = Timestamp.zero
    var leavingUntil: Timestamp?
    var isStopped = false
    var matchesPlayed = 0
    var failure: String?
    /// Events reported since the pilot last looked.
    var unseenByPilot: [NodeEvent] = []
    /// Members that said goodbye (left on purpose) lately, newest last, at most ``maxDeparted``:
    /// a match whose players all left ends as "left", not as a lost network.
    var departed: [PeerID] = []
    static var maxDeparted: Int { 64 }
    /// The room's host as last told to the player (a new one is announced; the same host
    /// taking over again after each match is not).
    var announcedHost: PeerID?
    var meshOutput = MeshOutput<Address>()

    /// What the node is trying to do in the room layer.
    enum Goal: Sendable {
        case none
        /// Host a room; start matches with at least this many members.
        case host(minimumPlayers: Int)
        /// Find and join the room asked for by `deadline`.
        case join(JoinSearch)
        /// In a room it joined (nobody's host by choice).
        case member
    }

    /// A search for the room to join: which rooms answered, and which one was chosen.
    struct JoinSearch: Sendable {
        /// What the room is looked for.
        enum Purpose: Sendable, Equatable {
            case join
            /// Watch its running match this far behind.
            case watch(delay: TimeSpan)
            /// Take this node's dropped seat in its running match again.
            case rejoin
        }

        /// The room as asked for (`NAME`, `NAME#ID` or `#ID`).
        var text: String
        var purpose = Purpose.join
        var target: RoomTarget
        var password: String?
        var deadline: Timestamp
        var seconds: Int
        /// Rooms that match the target, one per host, in the order heard (at most ``PeerNode/maxCandidates``).
        var candidates: [RoomSummary] = []
        /// When the candidates heard are weighed (the first one's arrival plus ``NodeConfiguration/roomChoiceWait``).
        var decideAt: Timestamp?
        /// The room chosen: from then on only a room with this host is joined, whatever else answers.
        var pinned: PeerID?
    }

    /// The most rooms of one name a join search keeps.
    static var maxCandidates: Int { 32 }

    /// The match being played (or lingering) here, with what started it.
    struct CurrentMatch {
        var core: MatchCore
        var start: GameStart
        /// Past this the match counts as failed (it stalled for good).
        var deadline: Timestamp
        /// Set once the match is over here: resends continue until then.
        var lingerUntil: Timestamp?
        /// Why the match ended early, when it did ("every other player left").
        var endReason: String?
        /// Slots dropped so far, in order.
        var dropped: [Int] = []
        /// Whether a leave waits for the linger to end.
        var leaveAfter = false
        /// Whether the player left before the end.
        var leftEarly = false
        /// Why the recording is missing, if it is.
        var recordingProblem: String?
        /// The view last built, and the tick it shows (views are rebuilt once a tick).
        var view: (tick: Tick, view: GameView)?
    }

    /// A node for `identity` (the same identity as its endpoint's).
    /// - Parameters:
    ///   - bootstrap: mesh members to join through when looking for a room.
    ///   - catalog: the games this node can play.
    ///   - input: who chooses this node's inputs in its matches.
    ///   - pilot: who decides what the node does when no person does (a bot), or nil.
    ///   - recorders: where matches are recorded, or nil for nowhere.
    ///   - seed: mixed into each match's seed for `input` (a bot's own streams).
    ///   - entropy: the room's random source (challenge nonces, seed secrets).
    public init(
        identity: NodeIdentity, bootstrap: [Address] = [], catalog: GameCatalog, input: any InputSource,
        pilot: (any NodePilot)? = nil, recorders: (any MatchRecorderFactory)? = nil, seed: UInt64 = 0,
        configuration: NodeConfiguration = NodeConfiguration(), entropy: some EntropySource
    ) {
        peerID = identity.peerID
        self.identity = identity
        self.bootstrap = bootstrap
        initialBootstrapCount = bootstrap.count
        self.catalog = catalog
        self.input = input
        self.pilot = pilot
        self.recorders = recorders
        inputSeed = seed
        self.configuration = configuration
        mesh = MeshNode(identity: identity, configuration: configuration.mesh)
        room = RoomCore(identity: identity, supportedGames: catalog.identities, entropy: entropy)
    }

    // MARK: EndpointCore

    public var nextDeadline: Timestamp? { current?.core.nextDeadline }

    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    public mutating func receive(
        _ event: LinkEvent<Address>, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        mesh.handle(event, endpoint: &endpoint, at: now, into: &meshOutput)
        if current != nil {
            var happened: [LockstepEvent] = []
            current!.core.receive(event, at: now, endpoint: &endpoint, events: &happened)
            report(happened, into: &output)
        }
        carryOutMesh(endpoint: &endpoint, at: now, into: &output)
        if case .linkLost(let peer, let reason) = event, reason != .replaced {
            subscribers.removeAll { $0.peer == peer }
            // The player feeding us is gone: another one is asked (from the start of its history).
            if watching?.feed.feeder == peer, watching?.seatTick == nil, watching?.finished == false, watching?.feed.isComplete == false {
                watching!.feed.refuse("the player feeding the match is gone")
                advanceWatch(endpoint: &endpoint, at: now, into: &output)
            }
        }
        if case .linkLost(let peer, let reason) = event, reason != .replaced, !mesh.members.contains(peer) {
            // A link-only peer (no mesh member, so no member event will follow) holds no seat
            // past its link: a silent stranger cannot keep a room full.
            perform(room.linkLost(peer, saidGoodbye: reason == .closedByPeer, at: now), endpoint: &endpoint, at: now, into: &output)
        }
        checkMatch(endpoint: &endpoint, at: now, into: &output)
    }

    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    public mutating func tick(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        mesh.tick(endpoint: &endpoint, at: now, into: &meshOutput)
        carryOutMesh(endpoint: &endpoint, at: now, into: &output)
        if let due = current?.core.nextDeadline, due <= now { pollMatch(endpoint: &endpoint, at: now, into: &output) }
        pumpFeeds(endpoint: &endpoint)
        advanceWatch(endpoint: &endpoint, at: now, into: &output)
        guard now >= nextRoomTick else {
            checkMatch(endpoint: &endpoint, at: now, into: &output)
            return
        }
        nextRoomTick = now + configuration.roomTickInterval
        perform(room.tick(at: now), endpoint: &endpoint, at: now, into: &output)
        vouchForSeats(endpoint: &endpoint, at: now, into: &output)
        roomDuties(endpoint: &endpoint, at: now, into: &output)
        checkMatch(endpoint: &endpoint, at: now, into: &output)
        if let until = leavingUntil, now >= until, !isStopped {
            isStopped = true
            emit(.stopped, into: &output)
        }
        consultPilot(endpoint: &endpoint, at: now, into: &output)
    }

    // MARK: Mesh

    /// Joins the mesh through the bootstrap addresses now, whatever the room (a simulation
    /// that seats everyone itself; a room search does it by itself).
    public func joinMesh(into output: inout CoreOutput<Address, NodeEvent>) {
        output.connects += bootstrap
    }

    /// Adds mesh members to join through, heard after the node started (a joiner's resolver
    /// asked again and found a host that registered late). While the node looks for its room
    /// it connects to the new ones at once, even when it already holds a mesh (which may be
    /// one a flood of registrations led it to); later searches include them. Beyond
    /// ``maxBootstrap`` addresses the oldest added ones make room.
    public mutating func addBootstrap(_ addresses: [Address], into output: inout CoreOutput<Address, NodeEvent>) {
        var added: [Address] = []
        for address in addresses where !bootstrap.contains(address) {
            // The newest make room (the first, from the command line, stay): a resolver flood
            // of fresh addresses cannot shut out the host it lists later.
            if bootstrap.count >= Self.maxBootstrap, initialBootstrapCount < bootstrap.count {
                bootstrap.remove(at: initialBootstrapCount)
            }
            guard bootstrap.count < Self.maxBootstrap else { break }
            bootstrap.append(address)
            added.append(address)
        }
        if case .join = goal, room.phase == .idle { output.connects += added }
    }

    /// The mesh's alive members, this node included, sorted.
    public var meshMembers: [PeerID] { mesh.members }

    /// Linked mesh nodes that are no members here: on the open lobby, nodes nobody seated with us vouched for. Sorted.
    public var meshStrangers: [PeerID] { mesh.announcedPeers }

    /// Tells the mesh who holds a seat with us (the room's members, the match's players): on
    /// the open lobby only they may introduce members or keep links the topology would prune.
    mutating func vouchForSeats(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        var seats = room.phase.isInRoom ? room.memberList.map(\.member.peer) : []
        if let players = current?.core.peerIDs { seats += players }
        mesh.vouch(for: seats, endpoint: &endpoint, at: now, into: &meshOutput)
        carryOutMesh(endpoint: &endpoint, at: now, into: &output)
    }

    /// What the mesh knows of `peer` (nil: never heard of it, or forgotten).
    public func memberStatus(of peer: PeerID) -> MemberStatus? { mesh.membership.status(of: peer) }

    // MARK: Status

    /// What the node is doing at `now` (no board; pings only with the endpoint): cheap enough for every tick.
    public func status(endpoint: MeshEndpoint<Address>? = nil, at now: Timestamp) -> NodeStatus {
        NodeStatus(
            phase: phase, peerID: peerID, room: roomStatus(endpoint: endpoint), match: matchStatus(at: now), wantsReady: wantsReady,
            matchesPlayed: matchesPlayed, failure: failure)
    }

    /// Everything a client draws at `now`: the status, the board (rebuilt once a tick) and the links.
    public mutating func snapshot(endpoint: MeshEndpoint<Address>, at now: Timestamp) -> NodeSnapshot {
        var view: GameView?
        if current == nil, let watched = watching?.core {
            view = watched.game.view()
        } else if var match = current, match.core.phase != .idle, match.core.phase != .warmingUp {
            let tick = match.core.game.tick
            if let kept = match.view, kept.tick == tick {
                view = kept.view
            } else {
                let fresh = match.core.game.view()
                match.view = (tick, fresh)
                current = match
                view = fresh
            }
        }
        return NodeSnapshot(status: status(endpoint: endpoint, at: now), view: view, links: links(endpoint: endpoint))
    }

    var phase: NodePhase {
        if isStopped { return .stopped }
        if current != nil || watching?.core != nil { return .playing }
        switch room.phase {
        case .idle:
            if case .join(let search) = goal { return .joining(room: search.text) }
            return .idle
        case .joining:
            if case .join(let search) = goal { return .joining(room: search.text) }
            return .joining(room: "")
        case .waiting, .starting:
            return .inRoom
        case .countdown, .running:
            return .playing
        }
    }

    private func roomStatus(endpoint: MeshEndpoint<Address>?) -> RoomStatus? {
        guard room.phase.isInRoom, let settings = room.settings else { return nil }
        let members = room.memberList.map { entry in
            var entry = entry
            entry.member.ping = entry.member.peer == peerID ? nil : endpoint?.stats(for: entry.member.peer)?.smoothedRTT ?? entry.member.ping
            entry.member.path = entry.member.peer == peerID ? nil : endpoint?.path(to: entry.member.peer)
            return entry
        }
        return RoomStatus(settings: settings, members: members, isHost: room.isHost)
    }

    private func matchStatus(at now: Timestamp) -> MatchStatus? {
        if current == nil, let watched = watching?.core {
            // Watching: no seat of ours (the slot past the last marks none on the board).
            let players = watched.game.players
            return MatchStatus(
                game: watched.game.identity, localSlot: PlayerSlot(players.count), players: players, tick: watched.game.tick,
                tickRate: watched.configuration.tickRate, inputDelay: 0, isRunning: true, isOver: watching!.finished, waitingFor: [],
                stalledFor: .zero, dropped: watching!.leftSlots.map(\.index), replayPath: watched.recorder?.recording?.path)
        }
        guard let match = current else { return nil }
        let core = match.core
        let running = core.phase == .playing || core.phase == .finished
        return MatchStatus(
            game: match.start.game, localSlot: core.slot, players: match.start.playerInfos, tick: core.game.tick,
            tickRate: core.configuration.tickRate, inputDelay: core.stats?.inputDelay ?? core.initialLead.delay,
            isRunning: running, isOver: core.isFinished || match.lingerUntil != nil, waitingFor: core.waitingFor,
            stalledFor: core.stalledSince.map { now - $0 } ?? .zero, dropped: match.dropped,
            replayPath: core.recorder?.recording?.path)
    }

    private func links(endpoint: MeshEndpoint<Address>) -> [LinkStatus] {
        guard let match = current else { return [] }
        let players = match.start.playerInfos
        return match.core.peerIDs.enumerated().compactMap { index, id in
            guard index != match.core.slot.index else { return nil }
            let stats = endpoint.stats(for: id)
            return LinkStatus(
                slot: PlayerSlot(index), name: players.indices.contains(index) ? players[index].name : "player \(index)",
                roundTrip: stats?.smoothedRTT, lossPercent: Int(((stats?.lossRate ?? 0) * 100).rounded()), path: endpoint.path(to: id))
        }
    }

    // MARK: Output

    mutating func emit(_ event: NodeEvent, into output: inout CoreOutput<Address, NodeEvent>) {
        output.events.append(event)
        if pilot != nil { unseenByPilot.append(event) }
    }

    /// Carries out the mesh's requests and hands its events to the room.
    mutating func carryOutMesh(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        guard !meshOutput.isEmpty else { return }
        output.connects += meshOutput.connects
        output.disconnects += meshOutput.disconnects
        let events = meshOutput.events
        meshOutput.removeAll()
        for event in events {
            switch event {
            case .message(let from, let channel, let bytes, let reliable) where reliable && channel == WatchMessage.channel:
                guard let message = try? WatchMessage(decoding: bytes) else { continue }
                if watching?.feed.feeder == from {
                    receiveFeed(message, from: from, endpoint: &endpoint, at: now, into: &output)
                } else {
                    serveFeed(message, from: from, endpoint: &endpoint, at: now)
                }
            case .message(let from, let channel, let bytes, let reliable):
                guard reliable, channel == RoomCore.channel else { continue }
                perform(room.receive(bytes, from: from, at: now), endpoint: &endpoint, at: now, into: &output)
            case .memberLeft(let peer):
                if !departed.contains(peer) { departed.append(peer) }
                if departed.count > Self.maxDeparted { departed.removeFirst() }
                perform(room.linkLost(peer, saidGoodbye: true, at: now), endpoint: &endpoint, at: now, into: &output)
            case .memberLost(let peer):
                perform(room.linkLost(peer, at: now), endpoint: &endpoint, at: now, into: &output)
            case .memberJoined(let peer), .nodeAnnounced(let peer):
                if case .join = goal, room.phase == .idle {
                    perform(room.query(peer), endpoint: &endpoint, at: now, into: &output)
                }
            }
        }
    }

    /// Asks the pilot what to do, with what it has not seen yet, and does it.
    mutating func consultPilot(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        guard var pilot, !isStopped else { return }
        let seen = unseenByPilot
        unseenByPilot = []
        let commands = pilot.decide(status(at: now), events: seen, at: now)
        self.pilot = pilot
        for command in commands { perform(command, endpoint: &endpoint, at: now, into: &output) }
    }
}
