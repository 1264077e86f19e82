import MeshplayCore

/// Tunables of the mesh layer (membership, failure detection, relay, topology).
public struct MeshConfiguration: Sendable {
    /// Up to this many alive members (self included) every node links to every other
    /// (a full mesh); above it each node keeps only ``partialNeighbours`` links and
    /// messages to the rest are flooded (default 32). See MeshProtocol.md.
    public var fullMeshLimit = 32
    /// Links each node aims for in a partial mesh (default 8, at least 2).
    public var partialNeighbours = 8
    /// Members remembered at most, tombstones included (default 256). Records beyond it are ignored.
    public var maxMembers = 256
    /// Hops a relayed message may take (default 8; enough for 64 nodes in a partial mesh).
    public var hopLimit: UInt8 = 8
    /// A relayed message that claims more hops than this is cut down to it (default 16).
    public var maxHopLimit: UInt8 = 16
    /// In a full mesh, a message for an unlinked member goes through this many neighbours (default 3).
    public var relayFanout = 3
    /// An unlinked member we watch is probed through neighbours this often (default 1 s).
    public var probeInterval: TimeSpan = .seconds(1)
    /// A watched member without a link and not heard from (directly, relayed or probed)
    /// for this long is declared lost (default 3 s, on top of the link timeout that noticed the silence).
    public var failureTimeout: TimeSpan = .seconds(3)
    /// How often a missing link is attempted again (default 2 s).
    public var reconnectInterval: TimeSpan = .seconds(2)
    /// In a partial mesh a link no longer wanted by the topology is closed once it is this old (default 5 s).
    public var pruneAge: TimeSpan = .seconds(5)
    /// How long a lost or left member is remembered, so stale gossip cannot revive it (default 60 s).
    public var tombstoneLifetime: TimeSpan = .seconds(60)
    /// After ``MeshNode/leave(endpoint:at:into:)`` links are closed this much later, once the news is out (default 500 ms).
    public var leaveGrace: TimeSpan = .milliseconds(500)
    /// A link to a peer that is no mesh member (a link-only peer) carrying no message for this
    /// long is closed (nil, the default: never). A player's node sets it, so strangers cannot
    /// hold links open for free; a resolver, whose clients are link-only, leaves it off.
    public var linkOnlyIdleTimeout: TimeSpan?
    /// Whose records bring in new members (default ``MeshIntroductions/anyMember``; a
    /// player's node on the open lobby uses ``MeshIntroductions/vouchedOnly``).
    public var introductions = MeshIntroductions.anyMember
    /// Peers vouched for at most (default 64: two rooms' worth of seats). Extra ones are ignored.
    public var maxVouched = 64
    /// Members introduced but not yet handshaken that are kept at most (default 32, vouched
    /// introductions only); further introductions are ignored until some resolve.
    public var maxPendingIntroductions = 32
    /// Times an introduced member's address is dialled, ``reconnectInterval`` apart, before it
    /// is forgotten (default 2). With ``maxPendingIntroductions`` this bounds what a seated
    /// player's fabricated records can make a node send to addresses that never answer.
    public var introductionDials = 2
    /// Relay messages remembered per origin for de-duplication are ids within this window
    /// (fixed at 1024 by ``RelayDedupWindow``; documented here for reference).
    public var dedupWindow: Int { Int(RelayDedupWindow.width) }

    /// The defaults.
    public init() {}
}
