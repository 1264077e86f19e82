import Lobby
import Lockstep
import MeshTransport
import MeshplayCore

/// Where a bot is in its life.
public enum BotStatus: Sendable, Equatable {
    case running
    /// Every game played and the room left.
    case done
    /// Gave up.
    case failed(BotFailure)
}

/// One headless bot player as a sans-I/O core: mesh membership (so every room member
/// links to every other), the room (``RoomCore`` on its reliable channel) and, once a
/// game starts, a ``MeshGamePeer`` with the game's own bot brain.
///
/// The shell hands it every link event with ``handle(_:endpoint:at:)`` and calls
/// ``tick(endpoint:at:)`` every few milliseconds with a monotonic `now`; both return the
/// links to open or close. It reads no clock and owns no socket, so it runs the same over
/// real UDP (``UDPBotShell``) and over a simulated network.
///
/// Life: create the room (or find it by asking every mesh member and join it), get ready,
/// play ``BotPlan/games`` games (recording each), then leave. ``status`` says when it is
/// done or why it gave up; ``results`` holds one entry per game played.
public final class BotPeer<Address: MeshAddress> {
    /// This bot's plan.
    public let plan: BotPlan
    /// This node.
    public let peerID: PeerID
    /// Running, done or failed.
    public internal(set) var status = BotStatus.running
    /// One entry per game played, in order.
    public internal(set) var results: [BotGameResult] = []
    /// Chat lines this bot has seen from others (room and game).
    public private(set) var chatLinesHeard = 0

    var mesh: MeshNode<Address>
    var room: RoomCore
    var currentGame: BotGame<Address>?
    let catalog: GameCatalog
    /// A human playing through this peer instead of the bot brain, if any.
    public let seat: HumanSeat?
    var seatLeaving = false
    /// Room happenings for the seat's chat pane, published with its next snapshot.
    var seatRoomEvents: [HumanSeatEvent] = []
    /// The ready state last sent for the seat (nil: nothing sent yet).
    private var seatReadySent: Bool?
    private let bootstrap: [Address]
    private var chat: BotChatLines?
    private var startedAt: Timestamp?
    private var nextSearch = Timestamp.zero
    private var nextReady = Timestamp.zero
    private var nextRoomTick = Timestamp.zero
    private var leavingUntil: Timestamp?
    private var output = MeshOutput<Address>()

    /// A bot for `identity` (the same identity as its endpoint's) that joins the mesh through `bootstrap`.
    /// `catalog` turns a room's game identity and config into a running game.
    /// With a `seat`, a human steers instead of the bot brain and chats through the seat.
    public init(identity: NodeIdentity, plan: BotPlan, bootstrap: [Address], catalog: GameCatalog, entropy: some EntropySource,
                seat: HumanSeat? = nil) {
        self.plan = plan
        self.seat = seat
        peerID = identity.peerID
        self.bootstrap = bootstrap
        self.catalog = catalog
        mesh = MeshNode(identity: identity)
        room = RoomCore(localPeer: identity.peerID, supportedGames: catalog.identities, entropy: entropy)
        if plan.chats { chat = BotChatLines(seed: plan.seed) }
    }

    /// What the shell must do with the links.
    public struct LinkRequests: Sendable {
        /// Addresses to connect to.
        public var connects: [Address] = []
        /// Peers to disconnect.
        public var disconnects: [PeerID] = []
    }

    // MARK: Shell input

    /// Handles one event of the endpoint.
    public func handle(_ event: LinkEvent<Address>, endpoint: inout MeshEndpoint<Address>, at now: Timestamp) -> LinkRequests {
        mesh.handle(event, endpoint: &endpoint, at: now, into: &output)
        currentGame?.peer.handle(event, at: now, endpoint: &endpoint)
        return carryOutMesh(endpoint: &endpoint, at: now)
    }

    /// Drives every timer: mesh membership, the room, the game, chat and the bot's own steps.
    public func tick(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) -> LinkRequests {
        if startedAt == nil { begin(endpoint: &endpoint, at: now) }
        mesh.tick(endpoint: &endpoint, at: now, into: &output)
        var requests = carryOutMesh(endpoint: &endpoint, at: now)
        if now >= nextRoomTick {
            nextRoomTick = now + .milliseconds(50)
            perform(room.tick(at: now), endpoint: &endpoint, at: now)
        }
        if let peer = currentGame?.peer, let due = peer.nextDeadline, due <= now { peer.poll(at: now, endpoint: &endpoint) }
        guard status == .running else {
            if seat != nil { serveSeat(endpoint: &endpoint, at: now) }
            return requests
        }
        if let until = leavingUntil {
            if seat != nil { serveSeat(endpoint: &endpoint, at: now) }
            if now >= until { status = .done }
            return requests
        }
        if currentGame != nil {
            finishGameIfOver(endpoint: &endpoint, at: now)
        } else {
            requests.connects += searchAndGetReady(endpoint: &endpoint, at: now)
        }
        if let line = chat?.line(at: now), room.phase.isInRoom { perform(room.chat(line, at: now), endpoint: &endpoint, at: now) }
        if seat != nil { serveSeat(endpoint: &endpoint, at: now) }
        return requests
    }

    // MARK: Steps

    private func begin(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        startedAt = now
        if case .create(let settings, _) = plan.role {
            perform(room.create(settings: settings, password: plan.password, name: plan.name, at: now), endpoint: &endpoint, at: now)
        }
    }

    /// Before a game: a joiner looks for its room and joins it; members say they are
    /// ready (again, until the host has heard); the host starts once enough are ready.
    private func searchAndGetReady(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) -> [Address] {
        var connects: [Address] = []
        switch room.phase {
        case .idle:
            guard case .join(let name) = plan.role else { return [] }
            if let startedAt, now - startedAt >= plan.joinTimeout {
                status = .failed(.roomNotFound(room: name, seconds: Int(plan.joinTimeout.nanoseconds / 1_000_000_000)))
                return []
            }
            guard now >= nextSearch else { return [] }
            nextSearch = now + .seconds(1)
            if mesh.members.count <= 1 { connects = bootstrap }
            for member in mesh.members where member != peerID { perform(room.query(member), endpoint: &endpoint, at: now) }
        case .waiting:
            if room.isHost {
                startIfEnoughReady(endpoint: &endpoint, at: now)
            } else if let seat {
                // A human says when they are ready: told at once when they change their mind,
                // then again every second (as a bot's is) until the game starts.
                let wanted = seat.isReady
                if wanted != seatReadySent || (wanted && now >= nextReady) {
                    seatReadySent = wanted
                    nextReady = now + .seconds(1)
                    perform(room.setReady(wanted, at: now), endpoint: &endpoint, at: now)
                }
            } else if now >= nextReady {
                // Said again every second: a host still lingering in its last game ignores it (it dedupes repeats).
                nextReady = now + .seconds(1)
                perform(room.setReady(true, at: now), endpoint: &endpoint, at: now)
            }
        case .joining, .starting, .countdown, .running:
            break
        }
        return connects
    }

    private func startIfEnoughReady(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        guard case .create(_, let needed) = plan.role else {
            // A member that became host (the creator left) starts when everyone is ready.
            if room.memberList.count > 1, room.memberList.allSatisfy({ $0.member.isReady || $0.member.peer == peerID }) {
                perform(room.start(at: now), endpoint: &endpoint, at: now)
            }
            return
        }
        let members = room.memberList
        guard members.count >= needed, members.allSatisfy({ $0.member.isReady || $0.member.peer == peerID }) else { return }
        perform(room.start(at: now), endpoint: &endpoint, at: now)
    }

    // MARK: Carrying out

    func perform(_ actions: [RoomAction], endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        for action in actions {
            switch action {
            case .send(let peer, let bytes):
                _ = mesh.send(bytes, channel: RoomCore.channel, to: peer, reliable: true, endpoint: &endpoint)
            case .sendGameChat(let text):
                currentGame?.peer.sendChat(text)
            case .event(let event):
                handleRoomEvent(event, endpoint: &endpoint, at: now)
            }
        }
    }

    private func handleRoomEvent(_ event: RoomEvent, endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        switch event {
        case .refused(let reason):
            switch reason {
            case .busy, .noAnswer, .notHost:
                nextSearch = now + .seconds(1)
            default:
                if status == .running { status = .failed(.refused(room: plan.roomName, reason: reason.description)) }
            }
        case .removed(let reason):
            if status == .running, leavingUntil == nil { status = .failed(.removed(room: plan.roomName, reason: "\(reason)")) }
        case .gameStarted(let start):
            if currentGame == nil { prepareGame(start, at: now) }
            currentGame?.peer.start(at: now, endpoint: endpoint)
        case .chat(let line):
            if line.sender != peerID { chatLinesHeard += 1 }
            if seat != nil { seatRoomEvents.append(.chat(slot: nil, name: line.senderName, text: line.text)) }
        case .chatRefused(let refusal):
            if seat != nil { seatRoomEvents.append(.notice("Chat not sent: \(refusal).")) }
        case .startAborted(_, _, let reason):
            if seat != nil { seatRoomEvents.append(.notice("The start was called off: \(reason).")) }
        case .countdown(let seconds):
            if seat != nil { seatRoomEvents.append(.notice("Starting in \(seconds)...")) }
            if currentGame == nil, let start = room.gameStart { prepareGame(start, at: now) }
        case .joined, .membersChanged, .hostChanged, .startRefused, .starting, .gameOver, .left, .roomInfo:
            if case .roomInfo(_, let summary) = event { joinIfWanted(summary, endpoint: &endpoint, at: now) }
        }
    }

    private func joinIfWanted(_ summary: RoomSummary?, endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        guard case .join(let name) = plan.role, room.phase == .idle, let summary, summary.settings.name == name else { return }
        perform(room.join(host: summary.host, name: plan.name, password: plan.password, at: now), endpoint: &endpoint, at: now)
    }

    private func carryOutMesh(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) -> LinkRequests {
        let requests = LinkRequests(connects: output.connects, disconnects: output.disconnects)
        let events = output.events
        output.removeAll()
        for event in events {
            switch event {
            case .message(let from, let channel, let bytes, let reliable):
                guard reliable, channel == RoomCore.channel else { continue }
                perform(room.receive(bytes, from: from, at: now), endpoint: &endpoint, at: now)
            case .memberLost(let peer), .memberLeft(let peer):
                perform(room.linkLost(peer, at: now), endpoint: &endpoint, at: now)
            case .memberJoined(let peer):
                if case .join = plan.role, room.phase == .idle { perform(room.query(peer), endpoint: &endpoint, at: now) }
            }
        }
        return requests
    }

    /// Leaves the room and the mesh; the bot is done once the leave has had time to spread.
    func leave(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        perform(room.leave(at: now), endpoint: &endpoint, at: now)
        mesh.leave(endpoint: &endpoint, at: now, into: &output)
        leavingUntil = now + .seconds(1)
    }
}
