import Bots
import Foundation
import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import ReplayRecording
import Snake

/// Player nodes on one simulated network in virtual time, for tests: bots with pilots, or
/// nodes the test commands itself as a person's UI would.
struct NodeWorld {
    var driver: SimulatedDriver<PeerNode<SimulatedAddress>>
    var addresses: [SimulatedAddress] = []
    /// Every event each node reported, in order.
    var events: [[NodeEvent]] = []
    var entropy = SeededRandom(seed: 77)

    static let catalog: GameCatalog = {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        return catalog
    }()

    init(seed: UInt64, conditions: NetworkConditions = NetworkConditions(latency: .milliseconds(20))) {
        driver = SimulatedDriver(seed: seed, defaultConditions: conditions)
    }

    /// Room settings for a short snake match on the standard map.
    static func settings(name: String = "duo", cap: Int = 4, ticks: Int = 120, tickRate: Int = 20, password: Bool = false) -> RoomSettings {
        let map = SnakeMap.standard
        return RoomSettings(name: name, game: SnakeRules.identity, map: map.name,
                            configBytes: SnakeConfig.standard(map: map, matchTicks: ticks).canonicalBytes, playerCap: cap,
                            tickRate: tickRate, matchLengthTicks: UInt32(ticks), hasPassword: password)
    }

    /// Adds a node joining the mesh through `via` (nil: through nobody).
    @discardableResult
    mutating func add(
        via: Int? = nil, alsoVia: [Int] = [], input: any InputSource = IdleInput(), pilot: (any NodePilot)? = nil,
        recordingTo directory: String? = nil, name: String = "node", configure: (inout NodeConfiguration) -> Void = { _ in }
    ) -> Int {
        var configuration = NodeConfiguration()
        configure(&configuration)
        let bootstrap = ((via.map { [$0] } ?? []) + alsoVia).map { addresses[$0] }
        let seed = entropy.derivedSeed()
        let recorders = directory.map { ReplayRecorderFactory(directory: $0, playerName: name) }
        let address = driver.addNode(credentials: LobbyMesh.credentials) { identity, _ in
            PeerNode(identity: identity, bootstrap: bootstrap, catalog: Self.catalog, input: input, pilot: pilot,
                     recorders: recorders, seed: seed, configuration: configuration, entropy: SeededEntropy(seed: seed))
        }
        addresses.append(address)
        events.append([])
        return addresses.count - 1
    }

    /// A bot node following `plan`.
    @discardableResult
    mutating func addBot(_ plan: BotPlan, via: Int? = nil, recordingTo directory: String? = nil) -> Int {
        add(via: via, input: BotBrainInput(skill: plan.skill), pilot: BotPilot(plan: plan), recordingTo: directory, name: plan.name)
    }

    /// Carries out `command` on node `index` now.
    mutating func command(_ index: Int, _ command: NodeCommand) {
        driver.withCore(addresses[index]) { node, endpoint, now, output in node.perform(command, endpoint: &endpoint, at: now, into: &output) }
        collect()
    }

    func status(_ index: Int) -> NodeStatus { driver.cores[index].status(at: driver.now) }

    /// Runs until `condition` holds (true) or `limit` of virtual time passes (false).
    @discardableResult
    mutating func run(for limit: TimeSpan, until condition: (NodeWorld) -> Bool = { _ in false }) -> Bool {
        let end = driver.now + limit
        while driver.now < end {
            if condition(self) { return true }
            driver.run(for: .milliseconds(10))
            collect()
        }
        return condition(self)
    }

    private mutating func collect() {
        for index in addresses.indices { events[index] += driver.takeEvents(addresses[index]) }
    }

    /// The match reports node `index` gave, in order.
    func reports(_ index: Int) -> [MatchReport] {
        events[index].compactMap { if case .matchEnded(let report) = $0 { report } else { nil } }
    }

    /// A temporary folder of this test's own.
    static func folder(_ tag: String) -> String {
        let path = NSTemporaryDirectory() + "netplay-\(tag)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
