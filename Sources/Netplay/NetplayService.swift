import Lobby
import MeshTransport
import MeshplayCore

/// What a client asks of the network, whatever carries it: real UDP sockets (NetplayNIO's
/// `UDPNetplay`) or the simulated network in virtual time (Simulation's `SimulatedNetplay`,
/// for tests). The terminal client reaches the engine only through this.
///
/// Every call returns at once; nodes come up and look for their mesh in the background.
public protocol NetplayService: AnyObject, Sendable {
    /// Starts the local player's node (its own socket and identity), driven by key presses.
    func startPlayer(_ request: PlayerNodeRequest) -> any NodeHandle
    /// Starts a bot node (brain of `skill`, seeded by `seed`) that joins `room`, hosted by
    /// the node of `host` (a room the player hosts in this process), and plays until closed.
    func startBot(name: String, skill: BotSkill, seed: UInt64, joining room: String, hostedBy host: any NodeHandle) -> any NodeHandle
    /// Looks for rooms at `places`, round after round, until the search is stopped.
    func findRooms(_ places: RoomPlaces) -> any RoomSearch
}

/// How the player's node starts.
public struct PlayerNodeRequest: Sendable {
    /// Where the node finds the mesh it joins rooms on.
    public enum Mesh: Sendable, Hashable {
        /// Nowhere: the node hosts its own room (others join it).
        case own
        /// Through these members, `HOST:PORT` (`--peer`, or a lobby row's address).
        case peers([String])
        /// Through rendezvous nodes (`--resolver`, repeatable: each is asked, any one that
        /// answers is enough) and/or the LAN, asked until a member answers.
        case search(resolvers: [String], lan: Bool)
    }

    /// The player's name.
    public var name: String
    /// Where the node finds its mesh.
    public var mesh: Mesh
    /// The local UDP port (0 picks one).
    public var port: Int
    /// The folder replays go to; nil records nothing.
    public var replaysDirectory: String?
    /// The room the node will join, when known: a rendezvous node is asked for the room's own
    /// name first, and again while the room is not joined.
    public var room: String?

    /// A request; see the properties.
    /// The node's keys: the same as an earlier node's to take that node's dropped seat again
    /// (nil: fresh ones).
    public var identity: NodeIdentity?

    public init(
        name: String, mesh: Mesh, port: Int = 0, replaysDirectory: String? = nil, room: String? = nil, identity: NodeIdentity? = nil
    ) {
        self.identity = identity
        self.name = name
        self.mesh = mesh
        self.port = port
        self.replaysDirectory = replaysDirectory
        self.room = room
    }

    /// Where the node looks, for messages ("127.0.0.1:4000", "resolver 10.0.0.1:47000 and the LAN").
    public var meshDescription: String {
        switch mesh {
        case .own: "this machine"
        case .peers(let peers): peers.joined(separator: ", ")
        case .search(let resolvers, let lan):
            (resolvers.map { "resolver \($0)" } + (lan ? ["the LAN"] : [])).joined(separator: " and ")
        }
    }
}

/// A node as a client holds it: commands in, snapshots and events out, from any one thread.
public protocol NodeHandle: AnyObject, Sendable {
    /// The node's peer id, once it is up.
    var peerID: PeerID? { get }
    /// Queues a command; it is carried out in order once the node is up.
    func send(_ command: NodeCommand)
    /// Brings the node up to `now` where time is virtual (a simulated network runs to it;
    /// over UDP the node runs by itself), and returns its newest snapshot and every event
    /// since the last poll.
    func poll(now: Timestamp) -> NodePoll
    /// Leaves (the room and the mesh hear it) and releases the node a moment later,
    /// without blocking. Safe to call more than once.
    func close()
    /// Leaves and releases the node before returning, waiting at most `timeout` (a client
    /// quitting: the match's recording is closed and the goodbye sent before the process ends).
    func closeAndWait(timeout: Duration)
}

/// What a poll of a ``NodeHandle`` returns.
public struct NodePoll: Sendable {
    /// The newest picture; nil until the node is up.
    public var snapshot: NodeSnapshot?
    /// Events since the last poll, in order.
    public var events: [NodeEvent]
    /// Why the node could not start or find its mesh ("cannot listen on UDP ...", "no mesh
    /// member found at resolver ... within 30 s"); nil while all is well.
    public var failure: String?

    /// A poll result.
    public init(snapshot: NodeSnapshot?, events: [NodeEvent], failure: String?) {
        self.snapshot = snapshot
        self.events = events
        self.failure = failure
    }
}

/// Where a lobby looks for rooms.
public struct RoomPlaces: Sendable, Equatable {
    /// Listen for rooms announced on the LAN.
    public var lan: Bool
    /// Rendezvous nodes, `--resolver HOST:PORT` (repeatable; each is asked).
    public var resolvers: [HostPort]
    /// Fixed members, `--peer HOST:PORT` (repeatable).
    public var peers: [HostPort]

    /// Places; see the properties.
    public init(lan: Bool, resolvers: [HostPort], peers: [HostPort]) {
        self.lan = lan
        self.resolvers = resolvers
        self.peers = peers
    }

    /// The labels of the places, in the order rows name them ("LAN", "resolver HOST:PORT", "--peer").
    public var labels: [String] {
        (lan ? ["LAN"] : []) + resolvers.map { RoomListing.resolverSourcePrefix + "\($0)" } + (peers.isEmpty ? [] : ["--peer"])
    }
}

/// A background search for rooms: read from the client's thread without waiting.
public protocol RoomSearch: AnyObject, Sendable {
    /// The newest rooms and the note about where they came from.
    var directory: RoomDirectory { get }
    /// Rounds completed so far (the client redraws when it changes).
    var roundsCompleted: Int { get }
    /// Stops looking (a round under way ends by its own deadlines).
    func stop()
}
