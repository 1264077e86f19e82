import MeshplayCore

/// The timers and bounds of a room core.
public struct RoomLimits: Sendable, Equatable {
    /// A join with no admission or refusal after this long is refused as ``RoomRefusal/noAnswer`` (default 10 s).
    public var joinTimeout: TimeSpan = .seconds(10)
    /// A host's password challenge stays valid one to two of these (default 10 s). Challenges
    /// are stateless (see `JoinChallenge`): no number of hellos holds a place or costs memory.
    public var challengeLifetime: TimeSpan = .seconds(10)
    /// Each stage of a start round (commit, then reveal) must finish within this (default 8 s:
    /// a message may need a few retransmissions on a lossy link before its first RTT sample).
    public var startStepTimeout: TimeSpan = .seconds(8)
    /// The countdown between the agreed seed and the first tick (default 3 s).
    public var countdown: TimeSpan = .seconds(3)
    /// Chat lines from peers we do not yet know as members are held this long for
    /// their admission to reach us (default 5 s), at most ``maxEarlyChats`` of them.
    public var earlyChatLifetime: TimeSpan = .seconds(5)
    /// The most chat lines held for not-yet-known members (default 64).
    public var maxEarlyChats: Int = 64
    /// The local flood limit for chat.
    public var chatFlood = FloodLimit()

    /// The defaults.
    public init() {}
}
