import MeshplayCore

/// A whole mesh of ``MeshNode``s in one process over a ``SimulatedNetwork``, in virtual time.
///
/// Each step runs the network for ``step`` (delivering datagrams and ticking endpoints),
/// then visits the nodes in index order: hands each its endpoint's events, ticks it, and
/// carries out its connects and disconnects. Seeded and iteration-order free, so one seed
/// replays one run. A crashed node is cut off from everyone and no longer driven.
public struct SimulatedMesh: Sendable {
    /// The network underneath (conditions, partitions and counters are set and read there).
    public var network: SimulatedNetwork
    /// The mesh nodes, indexed like the network's nodes.
    public private(set) var nodes: [MeshNode<SimulatedAddress>] = []
    /// How far the network runs between two visits of the nodes (default 5 ms).
    public var step: TimeSpan = .milliseconds(5)
    private var events: [[MeshEvent]] = []
    private var crashed: [Bool] = []
    /// When each node is next ticked if it has no events before (its timers work in tens of milliseconds).
    private var nextTick: [Timestamp] = []
    /// How often a node without events is ticked.
    private static var idleTickInterval: TimeSpan { .milliseconds(50) }
    private var output = MeshOutput<SimulatedAddress>()

    /// An empty mesh on a network seeded with `seed`.
    public init(seed: UInt64, defaultConditions: NetworkConditions = .ideal) {
        network = SimulatedNetwork(seed: seed, defaultConditions: defaultConditions)
    }

    /// Virtual time now.
    public var now: Timestamp { network.now }

    /// Adds a node (not yet part of any mesh); returns its address.
    @discardableResult
    public mutating func addNode(
        credentials: MeshCredentials, link: LinkConfiguration = LinkConfiguration(), mesh: MeshConfiguration = MeshConfiguration()
    ) -> SimulatedAddress {
        let address = network.addNode(credentials: credentials, configuration: link)
        nodes.append(MeshNode(identity: network.nodes[Int(address.node)].identity, configuration: mesh))
        events.append([])
        crashed.append(false)
        nextTick.append(.zero)
        return address
    }

    /// The peer id of a node.
    public func peerID(_ address: SimulatedAddress) -> PeerID { network.peerID(address) }

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
        let index = Int(address.node)
        // Disjoint stored properties passed inout: the node is mutated in place (no copy-on-write of its tables).
        let result = Self.drive(&network, &nodes[index], address, &output, body)
        events[index] += output.events
        output.removeAll()
        return result
    }

    private static func drive<Result>(
        _ network: inout SimulatedNetwork, _ node: inout MeshNode<SimulatedAddress>, _ address: SimulatedAddress,
        _ output: inout MeshOutput<SimulatedAddress>,
        _ body: (inout MeshNode<SimulatedAddress>, inout MeshEndpoint<SimulatedAddress>, Timestamp, inout MeshOutput<SimulatedAddress>) -> Result
    ) -> Result {
        network.withNode(address) { endpoint, now, linkOutput in
            let result = body(&node, &endpoint, now, &output)
            carryOut(&output, endpoint: &endpoint, at: now, into: &linkOutput)
            return result
        }
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
    public mutating func crash(_ address: SimulatedAddress) {
        crashed[Int(address.node)] = true
        let others = (0..<nodes.count).filter { $0 != Int(address.node) }.map { SimulatedAddress(node: UInt32($0)) }
        network.partition([address], others, from: now, until: Timestamp(nanoseconds: .max))
    }

    /// The mesh events a node reported since the last call, oldest first.
    public mutating func takeEvents(_ address: SimulatedAddress) -> [MeshEvent] {
        let taken = events[Int(address.node)]
        events[Int(address.node)] = []
        return taken
    }

    /// Advances virtual time by `span`.
    public mutating func run(for span: TimeSpan) { run(until: now + span) }

    /// Advances virtual time to `deadline`, visiting the nodes every ``step``.
    public mutating func run(until deadline: Timestamp) {
        while now < deadline {
            network.run(until: min(now + step, deadline))
            for index in nodes.indices where !crashed[index] {
                let address = SimulatedAddress(node: UInt32(index))
                let linkEvents = network.takeEvents(address)
                // Visiting a node flushes all its links, so idle nodes are visited only when their timers are due.
                guard !linkEvents.isEmpty || now >= nextTick[index] else { continue }
                nextTick[index] = now + Self.idleTickInterval
                withNode(address) { node, endpoint, now, output in
                    for event in linkEvents { node.handle(event, endpoint: &endpoint, at: now, into: &output) }
                    node.tick(endpoint: &endpoint, at: now, into: &output)
                }
            }
        }
    }

    private static func carryOut(
        _ output: inout MeshOutput<SimulatedAddress>, endpoint: inout MeshEndpoint<SimulatedAddress>, at now: Timestamp,
        into linkOutput: inout EndpointOutput<SimulatedAddress>
    ) {
        for address in output.connects { endpoint.connect(to: address, at: now, into: &linkOutput) }
        for peer in output.disconnects { endpoint.disconnect(peer, at: now, into: &linkOutput) }
        output.connects.removeAll(keepingCapacity: true)
        output.disconnects.removeAll(keepingCapacity: true)
    }
}
