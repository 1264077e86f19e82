import MeshplayCore
import MeshTransport

/// One node's part in a room, as a sans-I/O state machine.
///
/// The shell feeds it reliable messages from channel ``channel`` with
/// ``receive(_:from:at:)``, lost links with ``linkLost(_:at:)``, a ``tick(at:)``
/// every few tens of milliseconds, and the user's commands (``create(settings:password:name:at:)``,
/// ``join(host:name:password:at:)``, ``leave(at:)``, ``setReady(_:at:)``, ``chat(_:at:)``,
/// ``start(at:)``, ``finishGame(_:at:)``). Each returns the ``RoomAction``s to carry
/// out in order. It reads no clock, socket or random source of its own: randomness
/// (nonces and seed secrets) comes from the ``EntropySource`` given at creation.
///
/// Before a start the host's member list is the authority: the host admits joins
/// one at a time in a fixed order of checks, so a room never exceeds its cap. When
/// the host goes, the member with the lowest join order takes over. Once the
/// game runs nobody hosts. See RoomProtocol.md.
public struct RoomCore: Sendable {
    /// The reliable link channel room messages travel on.
    public static let channel: UInt8 = 0x4C

    /// This node.
    public let localPeer: PeerID
    /// This node's signing identity: it signs the room answers (``localPeer`` is its peer id).
    let identity: NodeIdentity
    /// This node's engine compatibility number.
    public let engineVersion: UInt16
    /// The games (and rules versions) this node can play.
    public let supportedGames: [GameIdentity]
    /// Timers and bounds.
    public let limits: RoomLimits

    /// Where the local node is.
    public internal(set) var phase: RoomPhase = .idle
    /// The room's settings (nil when idle or joining).
    public internal(set) var settings: RoomSettings?
    /// Members in join order (ourselves included).
    public internal(set) var members: [RoomMember] = []
    /// The host (nil when idle or once the game runs).
    public internal(set) var host: PeerID?
    /// The agreed game start, from the countdown on.
    public internal(set) var gameStart: GameStart?
    /// Messages from peers that did not decode.
    public internal(set) var malformedMessages: UInt64 = 0
    /// Room answers dropped: unsigned (an older peer's), or not signed by the peer that sent
    /// them for us (forged, relayed or changed on the way).
    public internal(set) var refusedAnswers: UInt64 = 0
    /// The last signed answers to room queries, per asker (at most ``maxCachedAnswers``, oldest
    /// first): a peer asking again and again while the room is unchanged costs no signature.
    var cachedAnswers: [(asker: PeerID, info: SignedRoomInfo)] = []
    /// Room answers signed so far (a repeated query is answered from the cache, unsigned anew).
    public internal(set) var answersSigned: UInt64 = 0
    static let maxCachedAnswers = 16
    /// States ignored because they came from a peer that is neither our host nor a member
    /// (another room's host, or an impostor, trying to take us over).
    public internal(set) var foreignStates: UInt64 = 0

    var entropy: any EntropySource
    var output: [RoomAction] = []
    var epoch = RoomEpoch.zero
    var nextJoinOrder: UInt32 = 0
    /// The password we created or joined with (a successor host checks joins against it).
    var password: String?
    var chatCore: ChatCore
    var earlyChats: [EarlyChat] = []
    var joinAttempt: JoinAttempt?
    /// The host's stateless join challenges (made at its first challenge).
    var challenges: JoinChallenge?
    var round: StartRound?
    /// The highest start round seen (a new host continues after it).
    var lastRound: UInt32 = 0
    var lastCountdownSecond: Int?

    struct JoinAttempt: Sendable {
        var host: PeerID
        var name: String
        var password: String?
        var deadline: Timestamp
    }

    struct EarlyChat: Sendable {
        var peer: PeerID
        var sequence: UInt64
        var text: String
        var expires: Timestamp
    }

    /// A core for the node with `identity` (its peer id is ``localPeer``).
    /// - Parameters:
    ///   - supportedGames: the game identities this build can run (checked by hosts at join).
    ///   - entropy: the random source for challenge nonces and seed secrets
    ///     (``SystemEntropy`` on a real network, ``SeededEntropy`` in simulations).
    public init(
        identity: NodeIdentity, engineVersion: UInt16 = MeshplayVersion.engine, supportedGames: [GameIdentity],
        limits: RoomLimits = RoomLimits(), entropy: some EntropySource
    ) {
        self.identity = identity
        self.localPeer = identity.peerID
        self.engineVersion = engineVersion
        self.supportedGames = Array(supportedGames.prefix(JoinRequest.maxGames))
        self.limits = limits
        self.entropy = entropy
        self.chatCore = ChatCore(limit: limits.chatFlood)
    }

    // MARK: Queries

    /// Whether the local node hosts the room now.
    public var isHost: Bool { host == localPeer && (phase == .waiting || isStarting) }

    /// The member list as a client shows it.
    public var memberList: [MemberListEntry] { members.map { MemberListEntry(member: $0, isHost: $0.peer == host) } }

    /// What a room list shows about this room (nil when not in one).
    public var summary: RoomSummary? {
        guard phase.isInRoom, let settings else { return nil }
        return RoomSummary(
            settings: settings, host: host ?? localPeer, memberCount: members.count,
            isRunning: phase.isGameUnderWay, engineVersion: engineVersion)
    }

    var isStarting: Bool {
        if case .starting = phase { return true }
        return false
    }

    /// The member record of `peer`, if it is a member.
    func memberIndex(_ peer: PeerID) -> Int? { members.firstIndex { $0.peer == peer } }

    // MARK: Output helpers

    mutating func take() -> [RoomAction] {
        let taken = output
        output = []
        return taken
    }

    mutating func send(_ message: RoomMessage, to peer: PeerID) {
        guard peer != localPeer else { return }
        output.append(.send(to: peer, bytes: message.bytes))
    }

    /// Sends to every member but ourselves, in member order.
    mutating func sendToMembers(_ message: RoomMessage) {
        let bytes = message.bytes
        for member in members where member.peer != localPeer { output.append(.send(to: member.peer, bytes: bytes)) }
    }

    mutating func emit(_ event: RoomEvent) { output.append(.event(event)) }

    mutating func emitMembers() { emit(.membersChanged(memberList)) }

    /// Back to no room, forgetting everything about the last one.
    mutating func resetToIdle() {
        phase = .idle
        settings = nil
        members = []
        host = nil
        gameStart = nil
        epoch = .zero
        nextJoinOrder = 0
        password = nil
        chatCore.reset()
        earlyChats = []
        joinAttempt = nil
        round = nil
        lastRound = 0
        lastCountdownSecond = nil
    }
}
