@testable import Lobby
import MeshplayCore
import MeshTransport
import Testing

/// Room cores on real link endpoints over MeshTransport's seeded `SimulatedNetwork`:
/// every node is on the open lobby mesh, linked to every other (rooms are small),
/// and room messages travel on the reliable channel with the network's loss.
struct LobbyHarness {
    static let game = GameIdentity(id: "snake", version: 1)
    static let credentials = MeshCredentials(meshName: "meshplay-lobby")

    var network: SimulatedNetwork
    var addresses: [SimulatedAddress] = []
    var cores: [RoomCore] = []
    var events: [[RoomEvent]] = []
    /// Nodes that no longer run (crashed): their cores are not driven.
    var stopped: [Bool] = []
    /// Rewrites a node's outgoing room message (for cheating tests); nil keeps it.
    var tamper: (@Sendable (_ node: Int, _ message: RoomMessage) -> RoomMessage?)?

    init(nodes: Int, seed: UInt64, loss: Double = 0.2, limits: RoomLimits = RoomLimits(),
         engineVersions: [Int: UInt16] = [:], games: [Int: [GameIdentity]] = [:]) {
        network = SimulatedNetwork(
            seed: seed, defaultConditions: NetworkConditions(latency: .milliseconds(15), jitter: .milliseconds(5), loss: loss))
        for index in 0..<nodes {
            let address = network.addNode(credentials: Self.credentials)
            addresses.append(address)
            cores.append(RoomCore(
                identity: network.nodes[Int(address.node)].identity, engineVersion: engineVersions[index] ?? MeshplayVersion.engine,
                supportedGames: games[index] ?? [Self.game], limits: limits,
                entropy: SeededEntropy(seed: seed &* 1000 &+ UInt64(index))))
            events.append([])
            stopped.append(false)
        }
    }

    func peer(_ node: Int) -> PeerID { cores[node].localPeer }
    func node(of peer: PeerID) -> Int? { cores.firstIndex { $0.localPeer == peer } }

    /// Links every pair of nodes (retrying failed handshakes) and waits until all are up.
    mutating func connectAll() {
        for a in addresses.indices {
            for b in addresses.indices where a < b { network.connect(addresses[a], to: addresses[b]) }
        }
        for _ in 0..<400 {
            run(for: .milliseconds(50))
            if allLinked { return }
            for a in addresses.indices {
                for b in addresses.indices where a < b && !network.nodes[a].connectedPeers.contains(peer(b)) {
                    network.connect(addresses[a], to: addresses[b])
                }
            }
        }
        precondition(allLinked, "mesh did not link up")
    }

    var allLinked: Bool {
        network.nodes.indices.allSatisfy { network.nodes[$0].connectedPeers.count == network.nodes.count - 1 }
    }

    /// Runs a command on a node's core and carries out its actions.
    mutating func command(_ node: Int, _ body: (inout RoomCore, Timestamp) -> [RoomAction]) {
        let actions = body(&cores[node], network.now)
        perform(actions, at: node)
    }

    mutating func perform(_ actions: [RoomAction], at node: Int) {
        for action in actions {
            switch action {
            case .send(let peer, var bytes):
                if let tamper, let message = try? RoomMessage(decoding: bytes), let changed = tamper(node, message) {
                    bytes = changed.bytes
                }
                let result = network.withNode(addresses[node]) { endpoint, _, _ in
                    endpoint.sendReliable(bytes, channel: RoomCore.channel, to: peer)
                }
                precondition(result == .queued || result == .unknownPeer, "send failed: \(result)")
            case .sendGameChat:
                break
            case .event(let event):
                events[node].append(event)
            }
        }
    }

    /// Advances virtual time, feeding link events to the cores and ticking them every 10 ms.
    mutating func run(for span: TimeSpan) {
        let end = network.now + span
        while network.now < end {
            network.run(for: .milliseconds(10))
            for node in cores.indices {
                let linkEvents = network.takeEvents(addresses[node])
                guard !stopped[node] else { continue }
                for event in linkEvents {
                    switch event {
                    case .message(let peer, let channel, let bytes, true) where channel == RoomCore.channel:
                        command(node) { core, now in core.receive(bytes, from: peer, at: now) }
                    case .linkLost(let peer, _):
                        command(node) { core, now in core.linkLost(peer, at: now) }
                    default:
                        break
                    }
                }
                command(node) { core, now in core.tick(at: now) }
            }
        }
    }

    /// Runs until `condition` holds or `limit` passes; returns whether it held.
    @discardableResult
    mutating func run(until limit: TimeSpan, _ condition: (LobbyHarness) -> Bool) -> Bool {
        let end = network.now + limit
        while network.now < end {
            if condition(self) { return true }
            run(for: .milliseconds(50))
        }
        return condition(self)
    }

    /// Cuts `node` off from everyone for good (a crash, as the others see it).
    mutating func crash(_ node: Int) {
        stopped[node] = true
        let others = addresses.indices.filter { $0 != node }.map { addresses[$0] }
        network.partition([addresses[node]], others, from: network.now, until: network.now + .seconds(3600))
    }

    // MARK: Room helpers

    static func settings(name: String = "arena", cap: Int = 8, startsWhenFull: Bool = false) -> RoomSettings {
        RoomSettings(name: name, game: game, map: "classic", configBytes: [1, 2, 3], playerCap: cap, tickRate: 30,
                     matchLengthTicks: 1800, startsWhenFull: startsWhenFull)
    }

    mutating func create(_ node: Int, settings: RoomSettings = LobbyHarness.settings(), password: String? = nil, name: String? = nil) {
        command(node) { core, now in core.create(settings: settings, password: password, name: name ?? "node\(node)", at: now) }
    }

    mutating func join(_ node: Int, host: Int, password: String? = nil, name: String? = nil) {
        let hostPeer = peer(host)
        command(node) { core, now in core.join(host: hostPeer, name: name ?? "node\(node)", password: password, at: now) }
    }

    /// Joins `nodes` one after another, each waiting for its admission.
    mutating func joinInTurn(_ nodes: [Int], host: Int) {
        for node in nodes {
            join(node, host: host)
            let admitted = run(until: .seconds(10)) { $0.cores[node].phase == .waiting }
            precondition(admitted, "node \(node) was not admitted: \(events[node])")
        }
    }


    func chatLines(_ node: Int) -> [ChatLine] {
        events[node].compactMap { if case .chat(let line) = $0 { line } else { nil } }
    }

    func refusals(_ node: Int) -> [RoomRefusal] {
        events[node].compactMap { if case .refused(let refusal) = $0 { refusal } else { nil } }
    }

    func gameStart(_ node: Int) -> GameStart? {
        events[node].lazy.compactMap { if case .gameStarted(let start) = $0 { start } else { nil } }.first
    }
}

extension LobbyHarness: CustomTestStringConvertible {
    /// Short, so a failed expectation does not print every endpoint.
    var testDescription: String { "harness at \(network.now): \(cores.map { "\($0.phase)" }.joined(separator: ", "))" }
}
