import Foundation
import MeshplayCore

/// A human's seat in a ``BotPeer``: the hand-over point between a UI thread and the
/// event loop the peer runs on. Everything in it is guarded by one lock.
///
/// The UI side sets the steering (``steer(_:)``), queues chat (``say(_:)``), asks to
/// leave (``requestLeave()``) and reads ``snapshot`` and ``takeEvents()`` once a frame.
/// The loop side (the ``BotPeer`` holding the seat) takes the input once per tick,
/// takes the chat lines, and publishes a fresh snapshot after every tick.
public final class HumanSeat: @unchecked Sendable {
    private let lock = NSLock()
    private var inputs: [PlayerInput] = []
    private var heldInput = PlayerInput.none
    private var chats: [String] = []
    private var leaveRequested = false
    private var ready: Bool
    private var current = HumanSeatSnapshot()
    private var events: [HumanSeatEvent] = []

    /// Most presses queued ahead of the ticks; more are dropped.
    static let inputQueueLimit = 3

    /// An empty seat. `ready`: whether the peer says it is ready as soon as it is in the
    /// room (a seat the player readies with a key starts out not ready).
    public init(ready: Bool = false) { self.ready = ready }

    // MARK: UI side

    /// The human's newest steering: played on the next sampled tick (quick presses queue up).
    public func steer(_ input: PlayerInput) {
        locked {
            guard inputs.count < Self.inputQueueLimit else { return }
            if inputs.last == input || (inputs.isEmpty && heldInput == input) { return }
            inputs.append(input)
        }
    }

    /// Queues a chat line (in the room before the game, in the lockstep chat during it).
    public func say(_ text: String) { locked { chats.append(text) } }

    /// Asks the peer to leave the room and the mesh.
    public func requestLeave() { locked { leaveRequested = true } }

    /// Whether the human is ready for the game; the peer tells the room (the host
    /// starts when every member is ready).
    public func setReady(_ value: Bool) { locked { ready = value } }

    /// What ``setReady(_:)`` last said.
    public var isReady: Bool { locked { ready } }

    /// The newest published state.
    public var snapshot: HumanSeatSnapshot { locked { current } }

    /// Events published since the last call, oldest first.
    public func takeEvents() -> [HumanSeatEvent] {
        locked {
            defer { events = [] }
            return events
        }
    }

    // MARK: Loop side

    /// The input for the tick being sampled: the oldest queued press, else the one held.
    func nextInput() -> PlayerInput {
        locked {
            if !inputs.isEmpty { heldInput = inputs.removeFirst() }
            return heldInput
        }
    }

    func takeChats() -> [String] {
        locked {
            defer { chats = [] }
            return chats
        }
    }

    var wantsToLeave: Bool { locked { leaveRequested } }

    func publish(_ snapshot: HumanSeatSnapshot, events new: [HumanSeatEvent]) {
        locked {
            current = snapshot
            events += new
        }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// What a ``HumanSeat`` shows of its peer at one moment.
public struct HumanSeatSnapshot: Sendable, Equatable {
    /// Where the peer is.
    public enum Phase: Sendable, Equatable {
        /// Looking for the room or joining it.
        case searching
        /// In the room, ready and waiting for the game.
        case inRoom
        /// The game runs.
        case playing
        /// The game is over here.
        case over
        /// The peer gave up (room not found, refused, removed).
        case failed(String)
    }

    /// Where the peer is.
    public var phase = Phase.searching
    /// The local seat, once a game started.
    public var localSlot = PlayerSlot(0)
    /// Everyone in the game, in slot order.
    public var players: [PlayerInfo] = []
    /// The game's picture, once a game started.
    public var view: GameView?
    /// The next tick to simulate.
    public var tick = Tick(0)
    /// Ticks per second.
    public var tickRate = 0
    /// Input delay in ticks.
    public var inputDelay = 0
    /// Every other player's link.
    public var links: [Link] = []
    /// Names of the players the game waits for; empty when not stalled.
    public var waitingFor: [String] = []
    /// How long the current stall has lasted.
    public var stalledMilliseconds = 0
    /// How the game ended, once it did.
    public var outcome: GameOutcome?
    /// Where the game is recorded.
    public var replayPath: String?
    /// The room, once the peer is in one.
    public var room: Room?

    /// The room as its members see it.
    public struct Room: Sendable, Hashable {
        public var name: String
        public var map: String
        public var playerCap: Int
        public var tickRate: Int
        public var matchLengthTicks: Int
        public var locked: Bool
        /// Members in join order.
        public var members: [Member]

        public init(name: String, map: String, playerCap: Int, tickRate: Int, matchLengthTicks: Int, locked: Bool, members: [Member]) {
            self.name = name
            self.map = map
            self.playerCap = playerCap
            self.tickRate = tickRate
            self.matchLengthTicks = matchLengthTicks
            self.locked = locked
            self.members = members
        }
    }

    /// One member of the room.
    public struct Member: Sendable, Hashable {
        public var name: String
        public var isReady: Bool
        public var isHost: Bool
        /// The local human.
        public var isYou: Bool
        /// Round trip to this member, when a link measures one.
        public var pingMilliseconds: Int?

        public init(name: String, isReady: Bool, isHost: Bool, isYou: Bool, pingMilliseconds: Int?) {
            self.name = name
            self.isReady = isReady
            self.isHost = isHost
            self.isYou = isYou
            self.pingMilliseconds = pingMilliseconds
        }
    }

    /// One other player's link.
    public struct Link: Sendable, Equatable {
        public var slot: PlayerSlot
        public var name: String
        /// Smoothed round trip; nil before one is measured or once the link is gone.
        public var pingMilliseconds: Int?
        /// Recent loss in whole percent.
        public var lossPercent: Int
    }

    /// An empty snapshot.
    public init() {}
}

/// Something that happened to a ``HumanSeat``'s peer, for the chat pane.
public enum HumanSeatEvent: Sendable, Equatable {
    /// A chat line (room or game), the human's own included.
    case chat(slot: PlayerSlot?, name: String, text: String)
    /// A player was dropped from the game.
    case dropped(slot: PlayerSlot, name: String)
    /// A notice ("joined room duo").
    case notice(String)
}
