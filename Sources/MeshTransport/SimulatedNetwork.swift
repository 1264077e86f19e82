import MeshplayCore

/// The faults applied to datagrams travelling one direction between two simulated nodes.
public struct NetworkConditions: Sendable, Equatable {
    /// Base one-way delay.
    public var latency: TimeSpan
    /// Each datagram's delay is moved by a uniform draw in `-jitter ... +jitter` (never below zero).
    public var jitter: TimeSpan
    /// Probability that a datagram is dropped, in parts per million.
    public var lossPerMillion: UInt32
    /// Probability that a datagram is delivered twice (each copy with its own delay), in parts per million.
    public var duplicatePerMillion: UInt32
    /// Probability that a datagram is held back by up to another `latency + 2 × jitter`, in parts per million.
    public var reorderPerMillion: UInt32
    /// Link capacity in bytes per second (0: unlimited). Datagrams queue behind each other;
    /// one that would wait more than a second is dropped (tail drop).
    public var bytesPerSecond: UInt64

    /// Conditions from probabilities in `0 ... 1`.
    public init(latency: TimeSpan = .milliseconds(10), jitter: TimeSpan = .zero, loss: Double = 0,
                duplication: Double = 0, reordering: Double = 0, bytesPerSecond: UInt64 = 0) {
        self.latency = latency
        self.jitter = jitter
        self.lossPerMillion = Self.perMillion(loss)
        self.duplicatePerMillion = Self.perMillion(duplication)
        self.reorderPerMillion = Self.perMillion(reordering)
        self.bytesPerSecond = bytesPerSecond
    }

    static func perMillion(_ probability: Double) -> UInt32 { UInt32((min(max(probability, 0), 1) * 1_000_000).rounded()) }

    /// A perfect network with 10 ms latency.
    public static let ideal = NetworkConditions()
}

/// A seeded in-process network in virtual time.
///
/// It owns a ``MeshEndpoint`` per node (the same cores that run over UDP), a clock,
/// and a queue of datagrams in flight. Per-direction ``NetworkConditions`` add
/// latency, jitter, loss, duplication, reordering and a bandwidth cap; partitions
/// cut groups of nodes apart for a while and then heal. Every random decision comes
/// from one ``SeededRandom``, nodes are visited in index order and ties in the event
/// queue are broken by insertion order, so the same seed and the same calls replay a
/// run exactly.
public struct SimulatedNetwork: Sendable {
    struct InFlight: Sendable {
        var deliverAt: Timestamp
        var order: UInt64
        var from: SimulatedAddress
        var to: SimulatedAddress
        var bytes: [UInt8]

        func precedes(_ other: InFlight) -> Bool { (deliverAt, order) < (other.deliverAt, other.order) }
    }

    struct DirectedLink: Hashable, Sendable {
        var from: UInt32
        var to: UInt32
    }

    /// A cut between two groups of nodes, in force during `start ..< end`.
    public struct Partition: Sendable {
        /// Node numbers on one side.
        public var groupA: [UInt32]
        /// Node numbers on the other side.
        public var groupB: [UInt32]
        /// When the cut starts.
        public var start: Timestamp
        /// When it heals.
        public var end: Timestamp
    }

    /// Figures over the whole run.
    public struct Counters: Sendable, Equatable {
        /// Datagrams handed to the network.
        public var sent: UInt64 = 0
        /// Datagram copies delivered to a node.
        public var delivered: UInt64 = 0
        /// Dropped by random loss.
        public var lost: UInt64 = 0
        /// Delivered twice.
        public var duplicated: UInt64 = 0
        /// Dropped by a partition.
        public var partitioned: UInt64 = 0
        /// Dropped because the bandwidth queue was over a second long.
        public var overflowed: UInt64 = 0
    }

    /// Virtual time now.
    public private(set) var now: Timestamp = .milliseconds(1000)
    /// The endpoints, indexed by node number.
    public private(set) var nodes: [MeshEndpoint<SimulatedAddress>] = []
    /// Conditions for directions without their own.
    public var defaultConditions: NetworkConditions
    /// How often every node is ticked (virtual time; default 5 ms).
    public var tickInterval: TimeSpan = .milliseconds(5)
    /// What the network did.
    public private(set) var counters = Counters()
    /// Bytes handed to the network for each node, by node number (what a reflection attack makes others send it).
    public private(set) var bytesSentTo: [UInt64] = []

    private var random: SeededRandom
    private var heap: [InFlight] = []
    private var nextOrder: UInt64 = 0
    private var conditions: [DirectedLink: NetworkConditions] = [:]
    private var busyUntil: [DirectedLink: Timestamp] = [:]
    private var partitions: [Partition] = []
    private var events: [[LinkEvent<SimulatedAddress>]] = []
    private var nextTick: Timestamp
    private var output = EndpointOutput<SimulatedAddress>()

    /// An empty network whose every random choice follows `seed`.
    public init(seed: UInt64, defaultConditions: NetworkConditions = .ideal) {
        random = SeededRandom(seed: seed)
        self.defaultConditions = defaultConditions
        nextTick = now
    }

    /// Adds a node with a seeded identity and entropy; returns its address.
    /// `identity`: the node's keys (a node restarted with the keys it had); by default new seeded ones.
    public mutating func addNode(
        credentials: MeshCredentials, configuration: LinkConfiguration = LinkConfiguration(), identity given: NodeIdentity? = nil
    ) -> SimulatedAddress {
        var entropy = SeededEntropy(seed: random.derivedSeed())
        let fresh = NodeIdentity(entropy: &entropy)
        let identity = given ?? fresh
        nodes.append(MeshEndpoint(identity: identity, credentials: credentials, configuration: configuration, entropy: entropy))
        events.append([])
        bytesSentTo.append(0)
        return SimulatedAddress(node: UInt32(nodes.count - 1))
    }

    /// Sets the conditions from `from` to `to` (one direction).
    public mutating func setConditions(_ value: NetworkConditions, from: SimulatedAddress, to: SimulatedAddress) {
        conditions[DirectedLink(from: from.node, to: to.node)] = value
    }

    /// Cuts `groupA` off from `groupB` (both directions) from `start` until `end`, when it heals.
    public mutating func partition(_ groupA: [SimulatedAddress], _ groupB: [SimulatedAddress], from start: Timestamp, until end: Timestamp) {
        partitions.append(Partition(groupA: groupA.map(\.node), groupB: groupB.map(\.node), start: start, end: end))
    }

    /// Runs `body` on a node's endpoint at the current virtual time, then flushes it and
    /// puts its datagrams on the network and its events in its inbox.
    @discardableResult
    public mutating func withNode<Result>(
        _ address: SimulatedAddress,
        _ body: (inout MeshEndpoint<SimulatedAddress>, Timestamp, inout EndpointOutput<SimulatedAddress>) -> Result
    ) -> Result {
        let index = Int(address.node)
        let result = body(&nodes[index], now, &output)
        nodes[index].flush(at: now, into: &output)
        dispatch(from: address)
        return result
    }

    /// Starts a handshake from `from` to `to`.
    public mutating func connect(_ from: SimulatedAddress, to: SimulatedAddress) {
        withNode(from) { node, now, output in node.connect(to: to, at: now, into: &output) }
    }

    /// The events a node reported since the last call, oldest first.
    public mutating func takeEvents(_ address: SimulatedAddress) -> [LinkEvent<SimulatedAddress>] {
        let taken = events[Int(address.node)]
        events[Int(address.node)] = []
        return taken
    }

    /// The peer id of a node.
    public func peerID(_ address: SimulatedAddress) -> PeerID { nodes[Int(address.node)].peerID }

    /// Advances virtual time to `deadline`, delivering datagrams and ticking nodes on the way.
    public mutating func run(until deadline: Timestamp) {
        while true {
            let nextDelivery = heap.first?.deliverAt
            if let nextDelivery, nextDelivery <= nextTick {
                guard nextDelivery <= deadline else { break }
                let datagram = popFirst()
                now = max(now, datagram.deliverAt)
                counters.delivered += 1
                let index = Int(datagram.to.node)
                guard index < nodes.count else { continue }
                nodes[index].receive(datagram.bytes, from: datagram.from, at: now, into: &output)
                nodes[index].flush(at: now, into: &output)
                dispatch(from: datagram.to)
            } else {
                guard nextTick <= deadline else { break }
                now = max(now, nextTick)
                for index in nodes.indices {
                    nodes[index].tick(at: now, into: &output)
                    dispatch(from: SimulatedAddress(node: UInt32(index)))
                }
                nextTick = nextTick + tickInterval
            }
        }
        now = max(now, deadline)
    }

    /// Advances virtual time by `span`.
    public mutating func run(for span: TimeSpan) { run(until: now + span) }

    // MARK: Delivery

    private mutating func dispatch(from source: SimulatedAddress) {
        for datagram in output.datagrams { transmit(datagram.bytes, from: source, to: datagram.address) }
        if !output.events.isEmpty { events[Int(source.node)].append(contentsOf: output.events) }
        output.removeAll()
    }

    private func isPartitioned(_ a: UInt32, _ b: UInt32) -> Bool {
        partitions.contains { cut in
            cut.start <= now && now < cut.end
                && ((cut.groupA.contains(a) && cut.groupB.contains(b)) || (cut.groupA.contains(b) && cut.groupB.contains(a)))
        }
    }

    private mutating func chance(_ perMillion: UInt32) -> Bool {
        perMillion > 0 && random.next(below: 1_000_000) < UInt64(perMillion)
    }

    private mutating func transmit(_ bytes: [UInt8], from: SimulatedAddress, to: SimulatedAddress) {
        counters.sent += 1
        if Int(to.node) < bytesSentTo.count { bytesSentTo[Int(to.node)] += UInt64(bytes.count) }
        let key = DirectedLink(from: from.node, to: to.node)
        let link = conditions[key] ?? defaultConditions
        if isPartitioned(from.node, to.node) { counters.partitioned += 1; return }
        if chance(link.lossPerMillion) { counters.lost += 1; return }
        var departure = now
        if link.bytesPerSecond > 0 {
            let start = max(now, busyUntil[key] ?? now)
            if start - now > .seconds(1) { counters.overflowed += 1; return }
            let transmission = TimeSpan(nanoseconds: Int64(UInt64(bytes.count) * 1_000_000_000 / link.bytesPerSecond))
            departure = start + transmission
            busyUntil[key] = departure
        }
        let copies = chance(link.duplicatePerMillion) ? 2 : 1
        if copies == 2 { counters.duplicated += 1 }
        for _ in 0..<copies {
            var delay = link.latency
            if link.jitter > .zero {
                let span = UInt64(link.jitter.nanoseconds) * 2 + 1
                delay = delay + TimeSpan(nanoseconds: Int64(random.next(below: span))) - link.jitter
            }
            if chance(link.reorderPerMillion) {
                let extra = UInt64(max(link.latency.nanoseconds + 2 * link.jitter.nanoseconds, 1))
                delay = delay + TimeSpan(nanoseconds: Int64(random.next(below: extra)))
            }
            push(InFlight(deliverAt: departure + max(delay, .zero), order: nextOrder, from: from, to: to, bytes: bytes))
            nextOrder += 1
        }
    }

    // A binary min-heap on (deliverAt, order).
    private mutating func push(_ item: InFlight) {
        heap.append(item)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popFirst() -> InFlight {
        let first = heap[0]
        let last = heap.removeLast()
        if !heap.isEmpty {
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1
                let right = left + 1
                var smallest = parent
                if left < heap.count, heap[left].precedes(heap[smallest]) { smallest = left }
                if right < heap.count, heap[right].precedes(heap[smallest]) { smallest = right }
                if smallest == parent { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return first
    }
}
