import MeshplayCore

/// A whole mesh of ``MeshNode``s in one process over a ``SimulatedNetwork``, in virtual time:
/// a ``SimulatedDriver`` of mesh nodes, with the mesh's own commands.
///
/// Each step runs the network for ``step`` (delivering datagrams and ticking endpoints),
/// then visits the nodes in index order: hands each its endpoint's events, ticks it, and
/// carries out its connects and disconnects. Seeded and iteration-order free, so one seed
/// replays one run. A crashed node is cut off from everyone and no longer driven.
public struct SimulatedMesh: Sendable {
    private var driver: SimulatedDriver<MeshNode<SimulatedAddress>>

    /// An empty mesh on a network seeded with `seed`.
    public init(seed: UInt64, defaultConditions: NetworkConditions = .ideal) {
        driver = SimulatedDriver(seed: seed, defaultConditions: defaultConditions)
        driver.step = .milliseconds(5)
        // Membership timers work in tens of milliseconds.
        driver.idleTickInterval = .milliseconds(50)
    }

    /// The network underneath (conditions, partitions and counters are set and read there).
    public var network: SimulatedNetwork {
        get { driver.network }
        set { driver.network = newValue }
    }

    /// The mesh nodes, indexed like the network's nodes.
    public var nodes: [MeshNode<SimulatedAddress>] { driver.cores }

    /// How far the network runs between two visits of the nodes (default 5 ms).
    public var step: TimeSpan {
        get { driver.step }
        set { driver.step = newValue }
    }

    /// Virtual time now.
    public var now: Timestamp { driver.now }

    /// Adds a node (not yet part of any mesh); returns its address.
    @discardableResult
    public mutating func addNode(
        credentials: MeshCredentials, link: LinkConfiguration = LinkConfiguration(), mesh: MeshConfiguration = MeshConfiguration()
    ) -> SimulatedAddress {
        driver.addNode(credentials: credentials, link: link) { identity, _ in MeshNode(identity: identity, configuration: mesh) }
    }

    /// The peer id of a node.
    public func peerID(_ address: SimulatedAddress) -> PeerID { driver.peerID(address) }

    /// Makes `node` join through the member at `member`.
    public mutating func join(_ node: SimulatedAddress, via member: SimulatedAddress) {
        withNode(node) { mesh, _, _, output in mesh.join(via: [member], into: &output) }
    }

    /// Runs `body` with a node, its endpoint and the time, then carries out its output.
    @discardableResult
    public mutating func withNode<Result>(
        _ address: SimulatedAddress,
        _ body: (inout MeshNode<SimulatedAddress>, inout MeshEndpoint<SimulatedAddress>, Timestamp, inout MeshOutput<SimulatedAddress>) -> Result
    ) -> Result {
        driver.withCore(address, body)
    }

    /// Sends from `from` to the member `to`.
    @discardableResult
    public mutating func send(_ bytes: [UInt8], channel: UInt8, from: SimulatedAddress, to peer: PeerID, reliable: Bool) -> MeshSendResult {
        withNode(from) { node, endpoint, _, _ in node.send(bytes, channel: channel, to: peer, reliable: reliable, endpoint: &endpoint) }
    }

    /// Floods (or, in a full mesh, sends to each member) from `from`.
    @discardableResult
    public mutating func broadcast(_ bytes: [UInt8], channel: UInt8, from: SimulatedAddress, reliable: Bool) -> MeshSendResult {
        withNode(from) { node, endpoint, _, _ in node.broadcast(bytes, channel: channel, reliable: reliable, endpoint: &endpoint) }
    }

    /// Crashes a node: from now on nothing reaches it or leaves it, and it is not driven.
    public mutating func crash(_ address: SimulatedAddress) { driver.crash(address) }

    /// The mesh events a node reported since the last call, oldest first.
    public mutating func takeEvents(_ address: SimulatedAddress) -> [MeshEvent] { driver.takeEvents(address) }

    /// Advances virtual time by `span`.
    public mutating func run(for span: TimeSpan) { driver.run(for: span) }

    /// Advances virtual time to `deadline`, visiting the nodes every ``step``.
    public mutating func run(until deadline: Timestamp) { driver.run(until: deadline) }
}
