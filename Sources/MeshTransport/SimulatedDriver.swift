import MeshplayCore

/// Runs one ``EndpointCore`` per node of a ``SimulatedNetwork``, in virtual time: the
/// simulator's counterpart of the UDP driver, so whole meshes of real cores (sealed links,
/// membership, rooms, lockstep) play in one process, reproducibly by seed.
///
/// Each step runs the network to the earliest of the next ``step``, the caller's deadline and
/// any core's ``EndpointCore/nextDeadline``, then visits the nodes in index order: hands each
/// its endpoint's events and ticks it when it had events, when its deadline passed, or every
/// ``idleTickInterval``. Links a core asks for are opened or closed at once; the events that
/// brings reach the core at its next visit. Seeded and free of iteration-order effects, so one
/// seed replays one run. A crashed node is cut off from everyone and no longer driven.
public struct SimulatedDriver<Core: EndpointCore> where Core.Address == SimulatedAddress {
    /// The network underneath (conditions, partitions and counters are set and read there).
    public var network: SimulatedNetwork
    @usableFromInline var storedCores: [Core] = []
    /// The cores, indexed like the network's nodes.
    @inlinable public var cores: [Core] { storedCores }
    /// The longest virtual time between two visits of a node with events (default 1 ms:
    /// arrivals are handled within a millisecond).
    public var step: TimeSpan = .milliseconds(1)
    /// How often a node with neither events nor a due deadline is ticked (default 5 ms, as over UDP).
    public var idleTickInterval: TimeSpan = .milliseconds(5)

    @usableFromInline var events: [[Core.Event]] = []
    @usableFromInline var crashed: [Bool] = []
    /// Each core's ``EndpointCore/nextDeadline`` as of its last call, so stepping never copies a core to ask.
    @usableFromInline var deadlines: [Timestamp?] = []
    @usableFromInline var nextIdleTick: [Timestamp] = []
    @usableFromInline var output = CoreOutput<SimulatedAddress, Core.Event>()
    /// The instant the nodes were last visited: a core's deadline pulls a step back to now once per instant.
    @usableFromInline var visitedAt: Timestamp?

    /// A driver over `network`.
    public init(network: SimulatedNetwork) {
        self.network = network
    }

    /// A driver over a fresh network whose every random choice follows `seed`.
    public init(seed: UInt64, defaultConditions: NetworkConditions = .ideal) {
        network = SimulatedNetwork(seed: seed, defaultConditions: defaultConditions)
    }

    /// Virtual time now.
    @inlinable
    public var now: Timestamp { network.now }

    /// Adds a node with a seeded identity (or `identity`: a node restarted with its keys) and the core `makeCore` builds for it; returns its address.
    @discardableResult
    public mutating func addNode(
        credentials: MeshCredentials, link: LinkConfiguration = LinkConfiguration(), identity: NodeIdentity? = nil,
        core makeCore: (_ identity: NodeIdentity, _ address: SimulatedAddress) -> Core
    ) -> SimulatedAddress {
        let address = network.addNode(credentials: credentials, configuration: link, identity: identity)
        let core = makeCore(network.nodes[Int(address.node)].identity, address)
        deadlines.append(core.nextDeadline)
        storedCores.append(core)
        events.append([])
        crashed.append(false)
        nextIdleTick.append(.zero)
        return address
    }

    /// The peer id of a node.
    @inlinable
    public func peerID(_ address: SimulatedAddress) -> PeerID { network.peerID(address) }

    /// Runs `body` with a node's core, its endpoint and the time, then carries out the output.
    @discardableResult
    @inlinable
    public mutating func withCore<Result>(
        _ address: SimulatedAddress,
        _ body: (inout Core, inout MeshEndpoint<SimulatedAddress>, Timestamp, inout CoreOutput<SimulatedAddress, Core.Event>) -> Result
    ) -> Result {
        let index = Int(address.node)
        // Disjoint stored properties passed inout: the core is mutated in place (no copy-on-write of its tables).
        // The deadline is read inside the access too: reading it off the array would copy the core.
        let (result, deadline) = Self.drive(&network, &storedCores[index], address, &output, body)
        deadlines[index] = deadline
        events[index] += output.events
        output.removeAll()
        return result
    }

    @inlinable
    static func drive<Result>(
        _ network: inout SimulatedNetwork, _ core: inout Core, _ address: SimulatedAddress,
        _ output: inout CoreOutput<SimulatedAddress, Core.Event>,
        _ body: (inout Core, inout MeshEndpoint<SimulatedAddress>, Timestamp, inout CoreOutput<SimulatedAddress, Core.Event>) -> Result
    ) -> (Result, Timestamp?) {
        network.withNode(address) { endpoint, now, linkOutput in
            let result = body(&core, &endpoint, now, &output)
            endpoint.carryOut(output, at: now, into: &linkOutput)
            output.connects.removeAll(keepingCapacity: true)
            output.disconnects.removeAll(keepingCapacity: true)
            output.punches.removeAll(keepingCapacity: true)
            return (result, core.nextDeadline)
        }
    }

    /// Reads a node's core in place (``cores`` hands out copies, too dear in a loop run every step).
    @inlinable
    public func inspect<Result>(_ address: SimulatedAddress, _ body: (borrowing Core) -> Result) -> Result {
        body(storedCores[Int(address.node)])
    }

    /// The events a core reported since the last call, oldest first.
    @inlinable
    public mutating func takeEvents(_ address: SimulatedAddress) -> [Core.Event] {
        let taken = events[Int(address.node)]
        events[Int(address.node)] = []
        return taken
    }

    /// Crashes a node: from now on nothing reaches it or leaves it, and it is not driven.
    public mutating func crash(_ address: SimulatedAddress) {
        crashed[Int(address.node)] = true
        let others = cores.indices.filter { $0 != Int(address.node) }.map { SimulatedAddress(node: UInt32($0)) }
        network.partition([address], others, from: now, until: Timestamp(nanoseconds: .max))
    }

    /// Whether `address` crashed.
    @inlinable
    public func isCrashed(_ address: SimulatedAddress) -> Bool { crashed[Int(address.node)] }

    /// Advances virtual time by `span`.
    @inlinable
    public mutating func run(for span: TimeSpan) { run(until: now + span) }

    /// Advances virtual time to `deadline`, visiting the nodes on the way.
    @inlinable
    public mutating func run(until deadline: Timestamp) {
        repeat {
            var target = min(now + step, deadline)
            for index in storedCores.indices where !crashed[index] {
                guard let due = deadlines[index] else { continue }
                // A deadline already visited at this instant cannot hold time still (a core that does not move it on).
                target = min(target, visitedAt == now ? max(due, now + TimeSpan(nanoseconds: 1)) : max(due, now))
            }
            network.run(until: target)
            visitedAt = now
            visit()
        } while now < deadline
    }

    /// Hands every live node its events and ticks those that are due.
    @inlinable
    mutating func visit() {
        let now = network.now
        for index in storedCores.indices where !crashed[index] {
            let address = SimulatedAddress(node: UInt32(index))
            let linkEvents = network.takeEvents(address)
            var due = false
            if let deadline = deadlines[index] { due = deadline <= now }
            // Visiting a node flushes all its links, so idle nodes are visited only when their timers are due.
            guard !linkEvents.isEmpty || due || now >= nextIdleTick[index] else { continue }
            nextIdleTick[index] = now + idleTickInterval
            withCore(address) { core, endpoint, now, output in
                for event in linkEvents { core.receive(event, endpoint: &endpoint, at: now, into: &output) }
                core.tick(endpoint: &endpoint, at: now, into: &output)
            }
        }
    }
}

extension SimulatedDriver: Sendable where Core: Sendable {}
