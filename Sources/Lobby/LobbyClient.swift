import Lockstep
import MeshplayCore
import MeshTransport

/// What the headless lobby API reports, for the terminal client and the bots alike.
public enum LobbyEvent: Sendable {
    /// Anything the room reports (members, chat, countdown, refusals, game over…).
    case room(RoomEvent)
    /// The game starts now, with the agreed start and a lockstep session for the local player.
    case gameStarted(GameStart, session: LockstepSession)
    /// A chat line to put on the running game's lockstep command stream (`LockstepSession.sendChat`).
    case sendGameChat(String)
}

/// The headless async lobby: a thin actor around a ``RoomCore`` that carries out its
/// actions over a ``RoomTransport`` and publishes its events as an `AsyncStream`.
/// Each command runs to completion without suspending, so the sends of one call are
/// never interleaved with another's (chat keeps its per-sender order).
///
/// The shell feeds it what arrives on channel ``RoomCore/channel`` (``deliver(_:from:)``),
/// lost links (``linkLost(_:)``) and calls ``tick()`` every 50 ms or so (``runTimers(every:)``
/// does it until cancelled). `now` comes from the clock given at creation, so a
/// simulation can pass virtual time.
public actor LobbyClient {
    /// Every event, in order. One consumer.
    public nonisolated let events: AsyncStream<LobbyEvent>

    private var core: RoomCore
    private let transport: any RoomTransport
    private let clock: @Sendable () -> Timestamp
    private let continuation: AsyncStream<LobbyEvent>.Continuation

    /// A client for `core`, sending through `transport`, reading time from `clock`.
    public init(core: RoomCore, transport: some RoomTransport, clock: @escaping @Sendable () -> Timestamp) {
        self.core = core
        self.transport = transport
        self.clock = clock
        (events, continuation) = AsyncStream.makeStream(of: LobbyEvent.self, bufferingPolicy: .bufferingNewest(4096))
    }

    // MARK: State

    /// Where the local node is in its room.
    public var phase: RoomPhase { core.phase }
    /// The member list (names, readiness, ping, host).
    public var members: [MemberListEntry] { core.memberList }
    /// The room's settings, when in a room.
    public var settings: RoomSettings? { core.settings }

    // MARK: Commands

    /// Creates and hosts a room.
    public func create(settings: RoomSettings, password: String?, name: String) {
        let now = clock()
        perform(core.create(settings: settings, password: password, name: name, at: now))
    }

    /// Joins the room hosted by `host`.
    public func join(host: PeerID, name: String, password: String?) {
        let now = clock()
        perform(core.join(host: host, name: name, password: password, at: now))
    }

    /// Leaves the room.
    public func leave() { perform(core.leave(at: clock())) }

    /// Sets our readiness.
    public func setReady(_ ready: Bool) { perform(core.setReady(ready, at: clock())) }

    /// Says something in the room (or, in game, on the command stream).
    public func say(_ text: String) { perform(core.chat(text, at: clock())) }

    /// Starts the game (host only).
    public func start() { perform(core.start(at: clock())) }

    /// Reports the end of the game (scores and replay path) and returns to the room.
    public func finishGame(_ result: GameResult) { perform(core.finishGame(result, at: clock())) }

    /// Asks `peer` which room it is in.
    public func query(_ peer: PeerID) { perform(core.query(peer)) }

    /// A chat line from the lockstep stream, shown like room chat.
    public func receiveGameChat(slot: PlayerSlot, text: String) {
        perform(core.receiveGameChat(slot: slot, text: text, at: clock()))
    }

    /// The measured round trip to `peer`, for the member list.
    public func updatePing(_ peer: PeerID, roundTrip: TimeSpan?) { core.updatePing(peer, roundTrip: roundTrip) }

    // MARK: Shell input

    /// A message that arrived on channel ``RoomCore/channel``.
    public func deliver(_ bytes: [UInt8], from peer: PeerID) {
        perform(core.receive(bytes, from: peer, at: clock()))
    }

    /// The link to `peer` is gone.
    public func linkLost(_ peer: PeerID) { perform(core.linkLost(peer, at: clock())) }

    /// Drives the core's timers.
    public func tick() { perform(core.tick(at: clock())) }

    /// Calls ``tick()`` every `interval` until the task is cancelled.
    public func runTimers(every interval: Duration = .milliseconds(50)) async {
        while !Task.isCancelled {
            tick()
            try? await Task.sleep(for: interval)
        }
    }

    /// Ends the event stream.
    public func close() { continuation.finish() }

    // MARK: Actions

    private func perform(_ actions: [RoomAction]) {
        for action in actions {
            switch action {
            case .send(let peer, let bytes):
                transport.sendReliable(bytes, channel: RoomCore.channel, to: peer)
            case .sendGameChat(let text):
                continuation.yield(.sendGameChat(text))
            case .event(.gameStarted(let start)):
                continuation.yield(.room(.gameStarted(start)))
                continuation.yield(.gameStarted(start, session: start.makeSession()))
            case .event(let event):
                continuation.yield(.room(event))
            }
        }
    }
}
