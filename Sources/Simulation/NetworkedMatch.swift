import Attestation
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
    /// Whether each slot crashed (and was not taken again by a restarted node).
    public private(set) var crashed: [Bool]
    /// Each slot's node now: a restarted node replaces a crashed one.
    public private(set) var seatAddresses: [SimulatedAddress] = []
    /// The spectators' nodes, and the slot feeding each.
    public private(set) var spectatorAddresses: [SimulatedAddress] = []
    public private(set) var spectatorFeeders: [Int] = []
    /// Each restarted node: its slot, when it asked (virtual time) and when it played its first tick again.
    public private(set) var rejoined: [(slot: Int, address: SimulatedAddress, asked: Timestamp?, seatTick: Int?, playing: Timestamp?)] = []
    private let credentials = MeshCredentials(meshName: "meshplay-sim")
    private var link = LinkConfiguration()
    private var nodeConfiguration = NodeConfiguration()
    private let catalog: GameCatalog
    /// When the game started (virtual time).
    public private(set) var startTime = Timestamp.zero
    private let addresses: [SimulatedAddress]
    /// Each seat's start (the same but for the local slot, unless a test seats a different game).
    private let starts: [GameStart]

    /// The network, for its counters.
    public var network: SimulatedNetwork { driver.network }

    /// Each seat's match, by slot (set up once the mesh is up): a restarted node's once it took its seat.
    public var peers: [MatchCore] {
        seatAddresses.enumerated().compactMap { index, address in
            driver.inspect(address) { $0.match } ?? driver.inspect(addresses[index]) { $0.match }
        }
    }

    /// The slots taken again by a restarted node.
    public var rejoinedSlots: [Int] { rejoined.filter { $0.seatTick != nil }.map(\.slot) }

    /// Sets up the network and one node per seat, each playing the game `makeGame` describes
    /// (called once per seat: its identity, configuration, players and seed; the node makes its
    /// own copy through `catalog`). Every call should describe the same game; a test that wants
    /// one seat to disagree describes another there.
    public init(players: Int, options: NetworkedMatchOptions, catalog: GameCatalog, makeGame: () throws -> any RunningGame) throws {
        self.options = options
        self.catalog = catalog
        crashed = Array(repeating: false, count: players)
        var network = SimulatedNetwork(seed: options.seed ^ 0x4E45_5457_4F52_4B00, defaultConditions: options.conditions)
        network.tickInterval = .milliseconds(5)
        var driver = SimulatedDriver<Node>(network: network)
        let games = try (0..<players).map { _ in try makeGame() }
        guard games.allSatisfy({ $0.players.count == players }) else { throw GameSetupError("the game does not seat \(players)") }
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
        for index in 0..<options.spectators {
            let path = index < options.spectatorReplayPaths.count ? options.spectatorReplayPaths[index] : nil
            let entropy = SeededEntropy(seed: entropySeeds.derivedSeed())
            spectatorAddresses.append(driver.addNode(credentials: credentials, link: link) { identity, _ in
                Node(identity: identity, bootstrap: [first], catalog: catalog, input: NoInput(),
                     recorders: path.map { FixedPathRecorder(path: $0) }, configuration: node, entropy: entropy)
            })
        }
        self.link = link
        nodeConfiguration = node
        self.driver = driver
        self.addresses = addresses
        seatAddresses = addresses
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
        var spectatorsStarted = options.spectators == 0
        var latencyChanges = options.latencyChanges.sorted { $0.tick < $1.tick }
        let limit = startTime + period * Int64(options.ticks * 4) + .seconds(60)
        var nextProgress = driver.now
        while driver.now < limit {
            for crash in options.crashes where !driver.isCrashed(addresses[crash.slot]) && driver.now >= startTime + period * Int64(crash.tick) {
                crashed[crash.slot] = true
                driver.crash(addresses[crash.slot])
                // The process is gone: its file stays as it was (a restarted node may write the same path).
                driver.inspect(addresses[crash.slot]) { $0.match?.recorder?.recording?.abandon() }
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
            if !spectatorsStarted, driver.now >= startTime + .seconds(1) {
                spectatorsStarted = true
                startSpectators()
            }
            restartNodes()
            for address in spectatorAddresses { _ = driver.takeEvents(address) }
            for entry in rejoined { _ = driver.takeEvents(entry.address) }
            _ = driver.takeEvents(addresses[0])
            if let progress, driver.now >= nextProgress {
                nextProgress = driver.now + .seconds(1)
                let ticks = addresses.indices.filter { !crashed[$0] }.compactMap { index in
                    driver.inspect(addresses[index]) { $0.matchTick.map { Int($0.rawValue) } }
                }
                progress(ticks.min() ?? 0)
            }
            if isDone {
                finishRecordings()
                return true
            }
            let nextCrash = (options.crashes.filter { !driver.isCrashed(addresses[$0.slot]) } + options.rejoins.filter { crashed[$0.slot] })
                .map { startTime + period * Int64($0.tick) }.filter { $0 > driver.now }.min()
            let nextChange = latencyChanges.first.map { startTime + period * Int64($0.tick) }
            driver.run(until: [driver.now + .milliseconds(1), nextCrash ?? limit, nextChange ?? limit].min()!)
        }
        finishRecordings()
        return false
    }

    /// Every seat's game is over (or its node crashed), every restarted node is seated and
    /// done or gave up, and every spectator has shown the whole match or stopped.
    private var isDone: Bool {
        let seats = seatAddresses.indices.allSatisfy { index in
            crashed[index] || driver.inspect(seatAddresses[index]) { $0.isMatchFinished }
        }
        let restarts = rejoined.allSatisfy { entry in
            driver.inspect(entry.address) { $0.isMatchFinished || $0.watchProblem != nil }
        } && options.rejoins.allSatisfy { wanted in rejoined.contains { $0.slot == wanted.slot } || !crashed[wanted.slot] }
        let watchers = spectatorAddresses.allSatisfy { address in
            driver.inspect(address) { $0.isWatchFinished || $0.watchProblem != nil }
        }
        return seats && restarts && (watchers || !seats)
    }

    /// Spectator `i` watches through the `i`-th live player, in turn.
    private func startSpectators() {
        let live = seatAddresses.indices.filter { !crashed[$0] }
        guard !live.isEmpty else { return }
        for (index, address) in spectatorAddresses.enumerated() {
            spectatorFeeders.append(live[index % live.count])
            let feeder = driver.peerID(seatAddresses[live[index % live.count]])
            let delay = options.spectatorDelay
            driver.withCore(address) { node, endpoint, now, output in node.watchMatch(from: feeder, delay: delay, endpoint: &endpoint, at: now, into: &output) }
        }
    }

    /// Restarts crashed nodes whose time came (same keys, a new address), and asks for the
    /// seat once the new node is linked to a live player.
    private func restartNodes() {
        let period = options.peer.tickPeriod
        for wanted in options.rejoins where crashed[wanted.slot] && !rejoined.contains(where: { $0.slot == wanted.slot })
            && driver.now >= startTime + period * Int64(wanted.tick) {
            let old = addresses[wanted.slot]
            let identity = driver.network.nodes[Int(old.node)].identity
            let live = seatAddresses.indices.first { !crashed[$0] }.map { seatAddresses[$0] } ?? addresses[0]
            let index = rejoined.count
            let path = index < options.rejoinReplayPaths.count ? options.rejoinReplayPaths[index] : nil
            let (catalog, node, skill) = (self.catalog, nodeConfiguration, options.skill)
            var seeds = SeededRandom(seed: options.seed ^ 0x4E30_1E00 ^ UInt64(wanted.slot))
            let entropy = SeededEntropy(seed: seeds.derivedSeed())
            let brainSeed = seeds.derivedSeed()
            let address = driver.addNode(credentials: credentials, link: link, identity: identity) { identity, _ in
                Node(identity: identity, bootstrap: [live], catalog: catalog, input: FixedSeedBotInput(skill: skill, seed: brainSeed),
                     recorders: path.map { FixedPathRecorder(path: $0) }, configuration: node, entropy: entropy)
            }
            driver.withCore(address) { node, _, _, output in node.joinMesh(into: &output) }
            rejoined.append((wanted.slot, address, nil, nil, nil))
        }
        for index in rejoined.indices {
            let entry = rejoined[index]
            if entry.asked == nil {
                let feeder = seatAddresses.indices.first { !crashed[$0] && $0 != entry.slot }.map { driver.peerID(seatAddresses[$0]) }
                guard let feeder, driver.network.nodes[Int(entry.address.node)].connectedPeers.contains(feeder) else { continue }
                rejoined[index].asked = driver.now
                driver.withCore(entry.address) { node, endpoint, now, output in
                    node.rejoinMatch(from: feeder, endpoint: &endpoint, at: now, into: &output)
                }
            } else if entry.playing == nil, let first = driver.inspect(entry.address, { node -> Int? in
                guard let match = node.match, match.phase == .playing, let loop = match.loop, !loop.session.isHeld,
                      let stats = loop.session.stats as LockstepStats?, stats.ticksSimulated > 0 else { return nil }
                return Int(loop.session.nextTickToSimulate.rawValue) - stats.ticksSimulated
            }) {
                rejoined[index].playing = driver.now
                rejoined[index].seatTick = first
                seatAddresses[entry.slot] = entry.address
                crashed[entry.slot] = false
            }
        }
    }

    /// Joins every node to the mesh through the first, asking again where a join failed,
    /// until every node links to every other (60 s of virtual time at most).
    private func formMesh() -> Bool {
        let nodes = addresses + spectatorAddresses
        let everyone = nodes.map { driver.peerID($0) }.sorted()
        let limit = driver.now + .seconds(60)
        var nextTry = driver.now
        while driver.now < limit {
            if driver.now >= nextTry {
                nextTry = driver.now + .seconds(1)
                for address in nodes.dropFirst() {
                    driver.withCore(address) { node, endpoint, _, output in
                        if endpoint.stateCount == (0, 0) { node.joinMesh(into: &output) }
                    }
                }
            }
            driver.run(for: .milliseconds(10))
            for address in nodes { _ = driver.takeEvents(address) }
            let full = nodes.allSatisfy { address in
                driver.inspect(address) { $0.meshMembers } == everyone
                    && driver.network.nodes[Int(address.node)].connectedPeers.count == nodes.count - 1
            }
            if full { return true }
        }
        return false
    }

    private func finishRecordings() {
        for address in spectatorAddresses {
            driver.withCore(address) { node, endpoint, now, output in
                node.stopWatching(reason: "the simulation stopped", endpoint: &endpoint, at: now, into: &output)
            }
        }
        for (index, node) in driver.cores.enumerated() {
            guard let match = node.match, let recording = match.recorder?.recording else { continue }
            let dead = driver.isCrashed(SimulatedAddress(node: UInt32(index)))
            if dead { recording.abandon() } else { recording.finish(game: match.game, endedEarly: match.isPlayedOut ? nil : match.stopReason ?? "the simulation stopped") }
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

    func makeRecording(
        for start: GameStart, game: any RunningGame, number: Int, checkpointInterval: Int, attestation: AttestationPlan?
    ) throws -> any MatchRecording {
        let writer = try ReplayFileWriter(path: path, mode: .replace, configuration: .init(flushIntervalTicks: start.tickRate))
        return try ReplayMatchRecording(
            writer: writer, game: game, localSlot: start.localSlot, ticksPerSecond: start.tickRate, checkpointInterval: checkpointInterval,
            attestation: attestation)
    }
}

/// No inputs: a spectator plays no seat.
struct NoInput: InputSource {
    mutating func matchStarted(_ game: any RunningGame, slot: PlayerSlot, seed: UInt64) {}
    mutating func nextInput(in game: any RunningGame) -> PlayerInput { .none }
}
