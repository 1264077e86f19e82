import Lockstep
import MeshplayCore

/// Runs a whole lockstep mesh in one process over `SimulatedLossyNetwork`, in
/// virtual time: every peer ticks at the tick rate from a seeded start offset,
/// datagrams arrive as the network decides, and everything is ordered by
/// (time, sequence number), so a seed replays exactly.
final class MeshHarness {
    enum Event {
        case tick(Int)
        case resend(Int)
        case deliver(from: Int, to: Int, bytes: [UInt8])
        case crash(Int)
        /// The node quits: it stops, and every other node's link layer reports it closed on purpose.
        case leave(Int)
        case chat(Int, String)
        case inject(to: Int, from: Int, bytes: [UInt8])
    }

    struct Node {
        var loop: LockstepGameLoop<MemoryRecorder>
        var crashed = false
        var random: SeededRandom
        /// Every value the harness gave as local input, in order (from the implicit `.none`).
        var setInputs: [PlayerInput] = [.none]
        var lastHeard: [Timestamp]
        var declaredLost: [Bool]
        var stalls: [(time: Timestamp, waitingFor: [PlayerSlot])] = []
        /// Every `seatScheduled` output, in order.
        var seatsScheduled: [(slot: PlayerSlot, tick: Tick)] = []
        /// A restarted node catching up: the node whose recorded match it is fed, and how many of its events it applied.
        var feeder: (index: Int, events: Int)?

        var session: LockstepSession { loop.session }
        var recorder: MemoryRecorder { loop.recorder }
        var simulated: Int { loop.recorder.inputs.count }
    }

    let playerCount: Int
    let period: TimeSpan
    let seed: UInt64
    /// Each node's lockstep configuration, as first made.
    private(set) var configurations: [LockstepConfiguration] = []
    var nodes: [Node] = []
    var network: SimulatedLossyNetwork
    var queue = EventQueue<Event>()
    var now = Timestamp.zero
    /// The link layer's give-up time: silence this long makes a node call `peerLost`.
    var linkTimeout: TimeSpan?
    /// Percent chance a node changes its input after each simulated tick.
    var inputChangePercent: UInt64 = 30
    /// Whether nodes also call `resend(at:)` half a period after each tick.
    var resendsBetweenTicks = true

    init(
        players: Int,
        conditions: NetworkConditions,
        seed: UInt64,
        flip: (slot: Int, afterTick: UInt32)? = nil,
        configure: (inout LockstepConfiguration) -> Void = { _ in }
    ) throws {
        playerCount = players
        self.seed = seed
        network = SimulatedLossyNetwork(conditions: conditions, seed: seed)
        var random = SeededRandom(seed: seed ^ 0x5EED)
        var tickPeriod = TimeSpan.zero
        let infos = (0..<players).map { PlayerInfo(slot: PlayerSlot($0), name: "p\($0)") }
        for index in 0..<players {
            var configuration = LockstepConfiguration(localSlot: PlayerSlot(index), playerCount: players)
            configure(&configuration)
            configurations.append(configuration)
            tickPeriod = configuration.tickPeriod
            let config = CounterGame.Config(flipAfterTick: flip?.slot == index ? flip?.afterTick : nil)
            let game = try GameInstance(rules: try CounterGame(config: config), players: infos, seed: seed)
            let loop = LockstepGameLoop(session: LockstepSession(configuration: configuration), game: game, recorder: MemoryRecorder())
            nodes.append(Node(
                loop: loop,
                random: SeededRandom(seed: random.derivedSeed()),
                lastHeard: Array(repeating: .zero, count: players),
                declaredLost: Array(repeating: false, count: players)
            ))
            // Peers start up to a tick apart, as they would after a lobby's start message.
            queue.schedule(.tick(index), at: Timestamp(nanoseconds: random.next(below: UInt64(tickPeriod.nanoseconds))))
        }
        period = tickPeriod
    }

    func schedule(_ event: Event, at time: TimeSpan) { queue.schedule(event, at: Timestamp.zero + time) }

    /// Runs until every live node has simulated `ticks` ticks (or all live nodes halted), or `limit` passes.
    @discardableResult
    func run(ticks: Int, limit: TimeSpan = .seconds(600)) -> Bool {
        let end = Timestamp.zero + limit
        while let (time, event) = queue.pop() {
            guard time <= end else { return false }
            now = time
            handle(event)
            if case .tick = event, finished(ticks) { return true }
        }
        return false
    }

    func finished(_ ticks: Int) -> Bool {
        // A halted node is done once it has told its user why (desync or dropped event).
        nodes.allSatisfy { $0.crashed || $0.simulated >= ticks || ($0.session.isHalted && !$0.recorder.events.isEmpty) }
    }

    var survivors: [Int] { nodes.indices.filter { !nodes[$0].crashed } }

    private func handle(_ event: Event) {
        switch event {
        case .tick(let index):
            guard !nodes[index].crashed else { return }
            catchUp(index)
            if let linkTimeout {
                for peer in 0..<playerCount where peer != index && !nodes[index].declaredLost[peer]
                    && now - nodes[index].lastHeard[peer] > linkTimeout {
                    nodes[index].declaredLost[peer] = true
                    nodes[index].loop.peerLost(PlayerSlot(peer), at: now)
                }
            }
            let outputs = nodes[index].loop.tick(at: now)
            carryOut(outputs, at: index, sampled: true)
            queue.schedule(.tick(index), at: now + period)
            if resendsBetweenTicks { queue.schedule(.resend(index), at: now + period / 2) }
        case .resend(let index):
            guard !nodes[index].crashed else { return }
            carryOut(nodes[index].loop.resend(at: now), at: index)
        case .deliver(let from, let to, let bytes):
            guard !nodes[to].crashed else { return }
            nodes[to].lastHeard[from] = now
            carryOut(nodes[to].loop.receive(bytes, from: PlayerSlot(from), at: now), at: to)
        case .inject(let to, let from, let bytes):
            guard !nodes[to].crashed else { return }
            carryOut(nodes[to].loop.receive(bytes, from: PlayerSlot(from), at: now), at: to)
        case .crash(let index):
            nodes[index].crashed = true
        case .leave(let index):
            nodes[index].crashed = true
            for other in nodes.indices where other != index && !nodes[other].crashed {
                nodes[other].declaredLost[index] = true
                nodes[other].loop.peerLost(PlayerSlot(index), leftOnPurpose: true, at: now)
            }
        case .chat(let index, let text):
            nodes[index].loop.sendChat(text)
        }
    }

    /// `sampled`: the outputs of a `tick` call, which sampled the input last set.
    private func carryOut(_ outputs: [LockstepOutput], at index: Int, sampled: Bool = false) {
        var advanced = false
        for output in outputs {
            switch output {
            case .send(let to, let bytes):
                for arrival in network.arrivals(from: PlayerSlot(index), to: to, at: now) {
                    queue.schedule(.deliver(from: index, to: to.index, bytes: bytes), at: arrival)
                }
            case .advanced:
                advanced = true
            case .stalled(let waiting):
                nodes[index].stalls.append((now, waiting))
            case .seatScheduled(let slot, let tick):
                nodes[index].seatsScheduled.append((slot, tick))
            case .event:
                break
            }
        }
        // A new input only after a `tick` call (which sampled the last one) simulated a tick,
        // so the next `tick` call samples it: then every value set must show up in the applied
        // stream, in order. (Ticks simulated on receive, catching up, change nothing.)
        guard advanced, sampled, nodes[index].random.next(below: 100) < inputChangePercent else { return }
        let old = nodes[index].setInputs.last!.rawValue
        let new = PlayerInput(rawValue: (old + 1 + UInt16(nodes[index].random.next(below: 15))) % 16)
        nodes[index].setInputs.append(new)
        nodes[index].loop.localInput(new, at: now)
    }
}

// MARK: A crashed node restarting and taking its seat again

extension MeshHarness {
    /// Restarts crashed node `index` as a new process would: a fresh game at tick 0, fed the
    /// match so far from `feeder`'s recording, and a session resuming its seat at `tick`
    /// (held until the fed game has reached it and the feed told of the seat's return).
    func restart(_ index: Int, resumingAt tick: Int, feeder: Int) throws {
        let infos = (0..<playerCount).map { PlayerInfo(slot: PlayerSlot($0), name: "p\($0)") }
        let game = try GameInstance(rules: try CounterGame(config: CounterGame.Config()), players: infos, seed: seed)
        let session = LockstepSession(
            configuration: configurations[index], resumingAt: tick, dueTick: nodes[feeder].session.ticksDue, dropped: [])
        var loop = LockstepGameLoop(session: session, game: game, recorder: MemoryRecorder())
        _ = loop.hold(true, at: now)
        var random = SeededRandom(seed: seed ^ 0xBAC4 ^ UInt64(index))
        nodes[index] = Node(
            loop: loop, random: SeededRandom(seed: random.derivedSeed()),
            lastHeard: Array(repeating: now, count: playerCount), declaredLost: Array(repeating: false, count: playerCount))
        nodes[index].feeder = (feeder, 0)
        queue.schedule(.tick(index), at: now + period)
    }

    /// A node catching up applies what its feeder recorded, up to its session's first tick, and
    /// is released once the feed has told of its own seat's return there.
    fileprivate func catchUp(_ index: Int) {
        guard let feeder = nodes[index].feeder else { return }
        let source = nodes[feeder.index].recorder
        let first = nodes[index].session.nextTickToSimulate
        var applied = feeder.events
        var returned = false
        while true {
            let tick = nodes[index].loop.game.tick
            while applied < source.events.count, let at = source.events[applied].tick, at <= tick {
                if source.events[applied] == .rejoined(slot: PlayerSlot(index), tick: first) { returned = true }
                nodes[index].loop.applyFed(source.events[applied])
                applied += 1
            }
            guard tick < first, Int(tick.rawValue) < source.inputs.count else { break }
            nodes[index].loop.applyFed(tick: tick, inputs: source.inputs[Int(tick.rawValue)])
        }
        nodes[index].feeder = (feeder.index, applied)
        guard returned, nodes[index].loop.game.tick == first else { return }
        nodes[index].feeder = nil
        carryOut(nodes[index].loop.hold(false, at: now), at: index)
    }
}

extension LockstepEvent {
    /// The tick the event happened at.
    var tick: Tick? {
        switch self {
        case .chat(_, _, let tick), .dropped(_, let tick), .rejoined(_, let tick), .lostMajority(let tick, _): tick
        case .desync(let desync): desync.tick
        }
    }
}
