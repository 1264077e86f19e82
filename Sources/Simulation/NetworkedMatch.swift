import Lobby
import Lockstep
import MeshTransport
import MeshplayCore
import Netplay
import Replay
import ReplayRecording

/// A whole networked match in one process: one ``PeerNode`` per seat (real handshakes,
/// sealing, mesh membership and lockstep), each with a bot brain, over a seeded
/// `SimulatedNetwork` in virtual time. Deterministic: same options, same run, byte for byte.
///
/// Steps: every node joins the mesh through the first until the mesh is full, the match is
/// set up on every node with one agreed start (the room's fair-seed round is left out: the
/// seat order and seed come from the options), the links warm up for `warmUp` (longer under
/// heavy loss, up to `warmUpLimit`), every node starts at the same virtual instant, then time
/// advances a millisecond at most at a time. Crashes cut a node off for good; it is neither
/// ticked nor fed again. The run ends when every surviving node's game is over.
public final class NetworkedMatch {
    public typealias Node = PeerNode<SimulatedAddress>

    public let options: NetworkedMatchOptions
    /// The nodes and the network, in virtual time.
    public private(set) var driver: SimulatedDriver<Node>
    /// Whether each slot crashed.
    public private(set) var crashed: [Bool]
    /// When the game started (virtual time).
    public private(set) var startTime = Timestamp.zero
    private let addresses: [SimulatedAddress]
    /// Each seat's start (the same but for the local slot, unless a test seats a different game).
    private let starts: [GameStart]

    /// The network, for its counters.
    public var network: SimulatedNetwork { driver.network }

    /// Each seat's match, by slot (set up once the mesh is up).
    public var peers: [MatchCore] { driver.cores.compactMap(\.match) }

    /// Sets up the network and one node per seat, each playing the game `makeGame` describes
    /// (called once per seat: its identity, configuration, players and seed; the node makes its
    /// own copy through `catalog`). Every call should describe the same game; a test that wants
    /// one seat to disagree describes another there.
    public init(players: Int, options: NetworkedMatchOptions, catalog: GameCatalog, makeGame: () throws -> any RunningGame) throws {
        self.options = options
        crashed = Array(repeating: false, count: players)
        var network = SimulatedNetwork(seed: options.seed ^ 0x4E45_5457_4F52_4B00, defaultConditions: options.conditions)
        network.tickInterval = .milliseconds(5)
        var driver = SimulatedDriver<Node>(network: network)
        let games = try (0..<players).map { _ in try makeGame() }
        guard games.allSatisfy({ $0.players.count == players }) else { throw GameSetupError("the game does not seat \(players)") }
        let credentials = MeshCredentials(meshName: "meshplay-sim")
        // What every player's node runs (lazy acks of lockstep datagrams), so the figures are theirs.
        var link = LinkConfiguration.playerNode
        link.linkTimeout = options.linkTimeout
        // While the mesh connects (seconds under heavy loss), idle links must not time out:
        // keepalives every 100 ms (in the game, lockstep traffic keeps links busy, so none are sent).
        link.keepaliveInterval = .milliseconds(100)
        var node = NodeConfiguration()
        node.match = options.peer
        node.keepsTally = true
        // The simulation ends matches and closes recordings itself, when every survivor is done.
        node.linger = .seconds(3600)
        node.matchOverrun = .seconds(3600)
        node.endsMatchWhenAlone = false
        // A password mesh whose nodes are seated by the simulation, not by a room: any member introduces.
        node.mesh.introductions = .anyMember
        var seeds = SeededRandom(seed: options.seed ^ 0x5EED_B075)
        var entropySeeds = SeededRandom(seed: options.seed ^ 0x0E47_B0B5)
        let first = SimulatedAddress(node: 0)
        var addresses: [SimulatedAddress] = []
        for index in 0..<players {
            let brainSeed = seeds.derivedSeed()
            let entropy = SeededEntropy(seed: entropySeeds.derivedSeed())
            let path = index < options.replayPaths.count ? options.replayPaths[index] : nil
            let address = driver.addNode(credentials: credentials, link: link) { identity, _ in
                Node(identity: identity, bootstrap: index == 0 ? [] : [first], catalog: catalog,
                     input: FixedSeedBotInput(skill: options.skill, seed: brainSeed),
                     recorders: path.map { FixedPathRecorder(path: $0) }, configuration: node, entropy: entropy)
            }
            addresses.append(address)
        }
        let seats = addresses.enumerated().map { index, address in
            SeatedPlayer(info: games[0].players[index], peer: driver.peerID(address))
        }
        self.driver = driver
        self.addresses = addresses
        starts = games.enumerated().map { index, game in
            GameStart(
                roomName: "sim", game: game.identity, configBytes: game.configBytes, map: "", seed: game.seed, seedDigest: [],
                players: seats, localSlot: PlayerSlot(index), tickRate: options.peer.tickRate,
                matchLengthTicks: UInt32(clamping: options.ticks), firstTick: .zero, startsAt: .zero, round: 1)
        }
    }

    /// Plays the match; returns false if the mesh could not come up or the game did not finish in time.
    @discardableResult
    ///
    /// `progress`, when given, is called now and then (about every virtual second) with the
    /// tick the first unfinished peer has reached, so a long run can say where it is.
    public func run(progress: ((Int) -> Void)? = nil) -> Bool {
        guard formMesh() else { return false }
        for index in addresses.indices {
            var seat = starts[index]
            seat.startsAt = driver.now
            driver.withCore(addresses[index]) { node, _, now, output in node.prepareMatch(seat, at: now, into: &output) }
        }
        // Probe for at least `warmUp`, then until every node has enough round trips on
        // every link (heavy loss and long latency need longer), at most `warmUpLimit`.
        let warmEnd = driver.now + options.warmUp
        let warmCap = driver.now + max(options.warmUp, options.warmUpLimit)
        while driver.now < warmCap, driver.now < warmEnd || !addresses.allSatisfy({ driver.inspect($0) { $0.isWarm } }) {
            driver.run(until: min(warmCap, driver.now + .milliseconds(1)))
        }
        startTime = driver.now
        for address in addresses {
            driver.withCore(address) { node, endpoint, now, output in node.beginMatch(at: now, endpoint: endpoint, into: &output) }
        }
        let period = options.peer.tickPeriod
        for cut in options.partitions {
            driver.network.partition(
                cut.groupA.map { addresses[$0] }, cut.groupB.map { addresses[$0] },
                from: startTime + period * Int64(cut.startTick), until: startTime + period * Int64(cut.endTick))
        }
        var chats = options.chats
        var latencyChanges = options.latencyChanges.sorted { $0.tick < $1.tick }
        let limit = startTime + period * Int64(options.ticks * 4) + .seconds(60)
        var nextProgress = driver.now
        while driver.now < limit {
            for crash in options.crashes where !crashed[crash.slot] && driver.now >= startTime + period * Int64(crash.tick) {
                crashed[crash.slot] = true
                driver.crash(addresses[crash.slot])
            }
            while let change = latencyChanges.first, driver.now >= startTime + period * Int64(change.tick) {
                driver.network.defaultConditions.latency = change.latency
                latencyChanges.removeFirst()
            }
            chats.removeAll { chat in
                let due = driver.inspect(addresses[chat.slot]) { node in node.isMatchFinished || Int(node.matchTick?.rawValue ?? 0) >= chat.tick }
                guard due else { return false }
                let text = chat.text
                driver.withCore(addresses[chat.slot]) { node, endpoint, now, output in
                    node.perform(.chat(text), endpoint: &endpoint, at: now, into: &output)
                }
                return true
            }
            _ = driver.takeEvents(addresses[0])
            if let progress, driver.now >= nextProgress {
                nextProgress = driver.now + .seconds(1)
                let ticks = addresses.indices.filter { !crashed[$0] }.compactMap { index in
                    driver.inspect(addresses[index]) { $0.matchTick.map { Int($0.rawValue) } }
                }
                progress(ticks.min() ?? 0)
            }
            if addresses.indices.allSatisfy({ crashed[$0] || driver.inspect(addresses[$0]) { $0.isMatchFinished } }) {
                finishRecordings()
                return true
            }
            let nextCrash = options.crashes.filter { !crashed[$0.slot] }.map { startTime + period * Int64($0.tick) }.min()
            let nextChange = latencyChanges.first.map { startTime + period * Int64($0.tick) }
            driver.run(until: [driver.now + .milliseconds(1), nextCrash ?? limit, nextChange ?? limit].min()!)
        }
        finishRecordings()
        return false
    }

    /// Joins every node to the mesh through the first, asking again where a join failed,
    /// until every node links to every other (60 s of virtual time at most).
    private func formMesh() -> Bool {
        let everyone = addresses.map { driver.peerID($0) }.sorted()
        let limit = driver.now + .seconds(60)
        var nextTry = driver.now
        while driver.now < limit {
            if driver.now >= nextTry {
                nextTry = driver.now + .seconds(1)
                for address in addresses.dropFirst() {
                    driver.withCore(address) { node, endpoint, _, output in
                        if endpoint.stateCount == (0, 0) { node.joinMesh(into: &output) }
                    }
                }
            }
            driver.run(for: .milliseconds(10))
            for address in addresses { _ = driver.takeEvents(address) }
            let full = addresses.allSatisfy { address in
                driver.inspect(address) { $0.meshMembers } == everyone
                    && driver.network.nodes[Int(address.node)].connectedPeers.count == addresses.count - 1
            }
            if full { return true }
        }
        return false
    }

    private func finishRecordings() {
        for (index, node) in driver.cores.enumerated() {
            guard let match = node.match, let recording = match.recorder?.recording else { continue }
            if crashed[index] { recording.abandon() } else { recording.finish(game: match.game, endedEarly: match.isPlayedOut ? nil : match.stopReason ?? "the simulation stopped") }
        }
    }
}

/// A bot brain seeded with a number fixed by the simulation, whatever the match's seed:
/// `meshplay sim` seats the same bots for the same options.
struct FixedSeedBotInput: InputSource {
    let skill: BotSkill
    let seed: UInt64
    private var brain: (any RunningBot)?

    init(skill: BotSkill, seed: UInt64) {
        self.skill = skill
        self.seed = seed
    }

    mutating func matchStarted(_ game: any RunningGame, slot: PlayerSlot, seed _: UInt64) {
        brain = game.makeBot(slot: slot, seed: seed, skill: skill)
    }

    mutating func nextInput(in game: any RunningGame) -> PlayerInput { brain?.nextInput(in: game) ?? .none }
}

/// Records a simulated seat's match to one given path (replaced if it exists).
struct FixedPathRecorder: MatchRecorderFactory {
    let path: String

    func makeRecording(for start: GameStart, game: any RunningGame, number: Int, checkpointInterval: Int) throws -> any MatchRecording {
        let writer = try ReplayFileWriter(path: path, mode: .replace, configuration: .init(flushIntervalTicks: start.tickRate))
        return try ReplayMatchRecording(
            writer: writer, game: game, localSlot: start.localSlot, ticksPerSecond: start.tickRate, checkpointInterval: checkpointInterval)
    }
}
