import MeshplayCore

/// A game in progress as the client sees it: the local match against bots today,
/// the networked lockstep session later. The UI loop calls it from one thread.
///
/// The client only ever: hands over the local player's steering (`localInput`),
/// asks it to catch up to the monotonic clock (`advance`), draws `view` and `status`,
/// and passes chat lines on. Everything about ordering inputs, waiting for peers and
/// recording belongs to the session.
public protocol PlaySession: AnyObject {
    /// The seat the local player plays.
    var localSlot: PlayerSlot { get }
    /// Everyone in the match, in slot order.
    var players: [PlayerInfo] { get }
    /// The local player's newest input. The session decides which tick it lands on
    /// (the next one locally, tick + input delay over the network).
    func localInput(_ input: PlayerInput)
    /// Sends a chat line (already sanitised) to everyone in the match and records it.
    func sendChat(_ text: String)
    /// Runs every tick that is due at `now` (monotonic), and reports what happened.
    func advance(now: Timestamp) -> [SessionEvent]
    /// When `advance` next has something to do; the UI sleeps in input until then at most.
    func nextDeadline(after now: Timestamp) -> Timestamp
    /// The picture to draw.
    var view: GameView { get }
    /// Clock, delay, peers and stalls, for the status line.
    var status: SessionStatus { get }
    /// The local player leaves (quit, or the client is closing): stop, close the recording.
    /// Safe to call more than once and after the match ended.
    func leave()
}

/// Something a session reports from `advance`.
public enum SessionEvent: Hashable, Sendable {
    /// A chat line from a player (including the local player's own line, echoed once sent).
    case chat(from: PlayerSlot, name: String, text: String)
    /// A notice for the chat pane ("bot2 left", "recording to ...").
    case notice(String)
    /// A player left or was dropped; the game carries on without them.
    case playerLeft(PlayerSlot, name: String, reason: String)
    /// The match is over; `replayPath` is where it was recorded, if it was.
    case finished(GameOutcome, replayPath: String?)
    /// The session cannot go on (a lost network, a desync, a failed recording).
    case failed(String)
}

/// One peer's link quality for the status line.
public struct PeerStatus: Hashable, Sendable {
    public var slot: PlayerSlot
    public var name: String
    /// Round-trip time; nil when unknown or not networked.
    public var pingMilliseconds: Int?
    /// Packets lost recently, in whole percent.
    public var lossPercent: Int
    /// A player in this process (the local human or a local bot).
    public var isLocal: Bool

    public init(slot: PlayerSlot, name: String, pingMilliseconds: Int?, lossPercent: Int, isLocal: Bool) {
        self.slot = slot
        self.name = name
        self.pingMilliseconds = pingMilliseconds
        self.lossPercent = lossPercent
        self.isLocal = isLocal
    }
}

/// What the status line shows about a session.
public struct SessionStatus: Hashable, Sendable {
    /// The next tick to simulate.
    public var tick: Tick
    /// Ticks per second.
    public var tickRate: Int
    /// Input delay in ticks (0 for a local game).
    public var inputDelay: Int
    /// Every other player's link.
    public var peers: [PeerStatus]
    /// Players whose input the next tick is waiting for; empty when not stalled.
    /// A local game never stalls.
    public var waitingFor: [String]
    /// How long the current stall has lasted, when stalled.
    public var stalledMilliseconds: Int
    /// True for a match against local bots only.
    public var isLocal: Bool
    /// Where the match is being recorded, if it is.
    public var replayPath: String?

    public init(tick: Tick, tickRate: Int, inputDelay: Int, peers: [PeerStatus], waitingFor: [String],
                stalledMilliseconds: Int = 0, isLocal: Bool, replayPath: String?) {
        self.tick = tick
        self.tickRate = tickRate
        self.inputDelay = inputDelay
        self.peers = peers
        self.waitingFor = waitingFor
        self.stalledMilliseconds = stalledMilliseconds
        self.isLocal = isLocal
        self.replayPath = replayPath
    }
}
