import Bots
import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import ReplayRecording

/// A client's network in one process: every node a ``PeerNode`` on one seeded simulated
/// network, which runs to whatever instant the client polls at. With a test's virtual clock
/// the client's screens play whole matches in milliseconds and reproducibly; with the
/// monotonic clock it is an in-process network for a local room whose bots cannot start on
/// real sockets.
///
/// Node addresses read `sim:N`; a player joins another node's room through `.peers(["sim:N"])`.
/// The room search is omniscient: it lists every node's room at once, without probes.
public final class SimulatedNetplay: NetplayService, @unchecked Sendable {
    /// The games nodes can play.
    public let catalog: GameCatalog
    private let lock = NSLock()
    private var driver: SimulatedDriver<PeerNode<SimulatedAddress>>
    private let link: LinkConfiguration
    private var entropy: SeededRandom
    /// Client time → network time, fixed at the first poll.
    private var offset: TimeSpan?
    private var closing: [SimulatedAddress] = []

    /// A network seeded with `seed`, every link under `conditions`.
    public init(catalog: GameCatalog, seed: UInt64 = 1, conditions: NetworkConditions = .ideal) {
        self.catalog = catalog
        var network = SimulatedNetwork(seed: seed, defaultConditions: conditions)
        network.tickInterval = .milliseconds(5)
        driver = SimulatedDriver(network: network)
        entropy = SeededRandom(seed: seed ^ 0x0E47_B0B5)
        link = .playerNode
    }

    public func startPlayer(_ request: PlayerNodeRequest) -> any NodeHandle {
        var bootstrap: [SimulatedAddress] = []
        var failure: String?
        switch request.mesh {
        case .own: break
        case .peers(let peers):
            for peer in peers {
                guard let address = Self.address(peer) else {
                    failure = "\(peer) is not an address on the simulated network (sim:N)"
                    continue
                }
                bootstrap.append(address)
            }
        case .search:
            // Everyone is in reach: the search finds the first node.
            bootstrap = locked { driver.cores.isEmpty ? [] : [SimulatedAddress(node: 0)] }
        }
        var configuration = NodeConfiguration()
        configuration.linger = .seconds(1)
        let recorders = request.replaysDirectory.map { ReplayRecorderFactory(directory: $0, playerName: request.name, replacesExisting: false) }
        let address = addNode(
            bootstrap: bootstrap, input: KeyPressInput(), pilot: nil, recorders: recorders, seed: 0, configuration: configuration,
            identity: request.identity)
        return SimulatedNodeHandle(service: self, address: address, failure: failure)
    }

    public func startBot(name: String, skill: BotSkill, seed: UInt64, joining room: String, hostedBy host: any NodeHandle) -> any NodeHandle {
        let hostAddress = (host as? SimulatedNodeHandle)?.address
        let plan = BotPlan(name: name, role: .join(room: room), games: Int.max, skill: skill, seed: seed, joinTimeout: .seconds(10))
        let address = addNode(bootstrap: hostAddress.map { [$0] } ?? [], input: BotBrainInput(skill: skill), pilot: BotPilot(plan: plan),
                              recorders: nil, seed: seed, configuration: NodeConfiguration())
        return SimulatedNodeHandle(service: self, address: address, failure: hostAddress == nil ? "the room's host is not on this network" : nil)
    }

    /// A bot node following `plan` (a room of bots for a client to join); `via` is the way into its mesh.
    public func startBot(plan: BotPlan, via: (any NodeHandle)? = nil, recordingTo directory: String? = nil) -> any NodeHandle {
        let bootstrap = (via as? SimulatedNodeHandle).map { [$0.address] } ?? []
        var configuration = NodeConfiguration()
        configuration.linger = plan.linger
        let recorders = directory.map { ReplayRecorderFactory(directory: $0, playerName: plan.name) }
        let address = addNode(bootstrap: bootstrap, input: BotBrainInput(skill: plan.skill), pilot: BotPilot(plan: plan),
                              recorders: recorders, seed: plan.seed, configuration: configuration)
        return SimulatedNodeHandle(service: self, address: address, failure: nil)
    }

    public func findRooms(_ places: RoomPlaces) -> any RoomSearch { SimulatedRoomSearch(service: self) }

    /// Virtual time now on the network.
    public var now: Timestamp { locked { driver.now } }

    // MARK: Nodes

    private func addNode(
        bootstrap: [SimulatedAddress], input: any InputSource, pilot: (any NodePilot)?, recorders: (any MatchRecorderFactory)?,
        seed: UInt64, configuration: NodeConfiguration, identity: NodeIdentity? = nil
    ) -> SimulatedAddress {
        locked {
            let entropy = SeededEntropy(seed: self.entropy.derivedSeed())
            let catalog = self.catalog
            return driver.addNode(credentials: LobbyMesh.credentials, link: link, identity: identity) { identity, _ in
                PeerNode(identity: identity, bootstrap: bootstrap, catalog: catalog, input: input, pilot: pilot, recorders: recorders,
                         seed: seed, configuration: configuration, entropy: entropy)
            }
        }
    }

    /// Runs the network to the client's `now`.
    func advance(to clientNow: Timestamp) {
        locked {
            if offset == nil { offset = driver.now - clientNow }
            let target = clientNow + offset!
            if target > driver.now { driver.run(until: target) }
            // Nodes that were closed and have said goodbye are no longer driven.
            closing.removeAll { address in
                guard driver.cores[Int(address.node)].status(at: driver.now).phase == .stopped else { return false }
                driver.crash(address)
                return true
            }
        }
    }

    func send(_ command: NodeCommand, to address: SimulatedAddress) {
        locked {
            driver.withCore(address) { node, endpoint, now, output in node.perform(command, endpoint: &endpoint, at: now, into: &output) }
        }
    }

    func poll(_ address: SimulatedAddress, now: Timestamp) -> (NodeSnapshot, [NodeEvent]) {
        advance(to: now)
        return locked {
            let snapshot = driver.withCore(address) { node, endpoint, now, _ in node.snapshot(endpoint: endpoint, at: now) }
            return (snapshot, driver.takeEvents(address))
        }
    }

    func close(_ address: SimulatedAddress) {
        send(.leave, to: address)
        locked { closing.append(address) }
    }

    /// Every node's status, for the omniscient room search.
    func statuses() -> [(address: SimulatedAddress, status: NodeStatus, identity: NodeIdentity)] {
        locked {
            driver.cores.indices.filter { !driver.isCrashed(SimulatedAddress(node: UInt32($0))) }.map { index in
                (SimulatedAddress(node: UInt32(index)), driver.cores[index].status(at: driver.now), driver.network.nodes[index].identity)
            }
        }
    }

    static func address(_ text: String) -> SimulatedAddress? {
        guard text.hasPrefix("sim:"), let number = UInt32(text.dropFirst(4)) else { return nil }
        return SimulatedAddress(node: number)
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// A node on a ``SimulatedNetplay``.
final class SimulatedNodeHandle: NodeHandle, @unchecked Sendable {
    let service: SimulatedNetplay
    let address: SimulatedAddress
    private let failure: String?
    private var closed = false

    init(service: SimulatedNetplay, address: SimulatedAddress, failure: String?) {
        self.service = service
        self.address = address
        self.failure = failure
    }

    var peerID: PeerID? { service.statuses().first { $0.address == address }?.status.peerID }

    func send(_ command: NodeCommand) {
        guard !closed else { return }
        service.send(command, to: address)
    }

    func poll(now: Timestamp) -> NodePoll {
        let (snapshot, events) = service.poll(address, now: now)
        return NodePoll(snapshot: snapshot, events: events, failure: failure)
    }

    func close() {
        guard !closed else { return }
        closed = true
        service.close(address)
    }

    func closeAndWait(timeout: Duration) { close() }
}

/// Every room on a ``SimulatedNetplay``, read when asked.
final class SimulatedRoomSearch: RoomSearch, @unchecked Sendable {
    private let service: SimulatedNetplay
    private var stopped = false
    private var reads = 0

    init(service: SimulatedNetplay) { self.service = service }

    var directory: RoomDirectory {
        let heard = service.statuses().compactMap { entry -> RoomDirectory.Heard? in
            guard let advert = entry.status.advert else { return nil }
            return RoomDirectory.Heard(address: entry.address.description, details: advert.encoded(signedBy: entry.identity), source: "simulated network",
                                       pingMilliseconds: 10)
        }
        return RoomDirectory(heard: heard, sources: [RoomSourceReport(label: "simulated network", outcome: .rooms(heard.count))])
    }

    /// A new round each time it is read, so a client redraws its list as rooms come and go.
    var roundsCompleted: Int {
        guard !stopped else { return reads }
        reads += 1
        return reads
    }

    func stop() { stopped = true }
}
