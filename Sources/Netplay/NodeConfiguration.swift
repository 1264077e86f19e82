import MeshTransport
import MeshplayCore

extension LinkConfiguration {
    /// The link settings of every player's node, over UDP (`UDPNode`) and in the simulators
    /// alike, so what `meshplay sim` measures is what players send: lockstep datagrams are
    /// acknowledged lazily (``LinkConfiguration/lazyUnreliableAcks``), an ack block riding
    /// one of them about every ``LinkConfiguration/lazyAckDelay``; reliable traffic keeps
    /// prompt acks. Measured with prompt acks on lockstep links (8 players, 30 Hz, 50 ± 10 ms,
    /// 20% loss): about 3,860 bytes a second a link, against about 2,460 lazily (before the
    /// other savings of Sources/Lockstep/SimFigures.md).
    public static var playerNode: LinkConfiguration {
        var link = LinkConfiguration()
        link.lazyUnreliableAcks = true
        return link
    }
}

/// The timers of a ``PeerNode`` and how it plays its matches.
public struct NodeConfiguration: Sendable {
    /// How matches are played (the tick rate comes from each room's settings).
    public var match = MatchConfiguration()
    /// The mesh layer's tunables.
    public var mesh: MeshConfiguration = {
        var mesh = MeshConfiguration()
        // A stranger's bare link (no mesh member) that says nothing for 30 s is closed.
        mesh.linkOnlyIdleTimeout = .seconds(30)
        // On the open lobby anyone can link: only seated peers introduce members.
        mesh.introductions = .vouchedOnly
        return mesh
    }()
    /// After its match ends here a node keeps resending its inputs this long, so slower
    /// peers finish too, before it closes the recording and is back in the room (default 3 s).
    public var linger: TimeSpan = .seconds(3)
    /// While looking for a room, every mesh member is asked which room it is in this often (default 1 s).
    public var searchInterval: TimeSpan = .seconds(1)
    /// A join by room name alone waits this long after the first room of that name answers, for
    /// any other room of the same name to answer too (two of them refuse the join: which one is
    /// meant is the person's choice, `NAME#ID`). A join naming the room's id does not wait (default 1 s).
    public var roomChoiceWait: TimeSpan = .seconds(1)
    /// Ready is said again this often until the match starts (default 1 s).
    public var readyInterval: TimeSpan = .seconds(1)
    /// A host that could not start waits this long before trying again (default 1 s).
    public var startRetryInterval: TimeSpan = .seconds(1)
    /// The room's timers and the pilot run this often at most (default 50 ms).
    public var roomTickInterval: TimeSpan = .milliseconds(50)
    /// After ``NodeCommand/leave`` the node stops this much later, once the goodbye had
    /// time to spread (default 1 s).
    public var leaveGrace: TimeSpan = .seconds(1)
    /// A match not over this long past its expected end has stalled for good and is ended
    /// as failed: its expected length times four plus this (default 60 s).
    public var matchOverrun: TimeSpan = .seconds(60)
    /// Whether a running match whose every other player was dropped ends here at once
    /// ("every other player left", "network lost"), rather than playing on alone.
    public var endsMatchWhenAlone = true
    /// Whether each match keeps a tally of applied inputs and events in memory (for
    /// simulations that compare peers; a long real match would grow it for nothing).
    public var keepsTally = false

    /// The defaults.
    public init() {}
}
