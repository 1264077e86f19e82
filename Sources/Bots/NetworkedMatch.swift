import Lockstep
import MeshTransport
import MeshplayCore
import Replay

/// A whole networked match in one process: one `MeshGamePeer` per seat, each with
/// its own endpoint (real handshakes and sealing), over a seeded `SimulatedNetwork`
/// in virtual time. Deterministic: same options, same run, byte for byte.
///
/// Steps: connect every pair, probe for `warmUp`, start every peer at the same
/// virtual instant, then advance time to the next deadline (at most 1 ms at a
/// time, so arrivals are handled within a millisecond), handing each node's link
/// events to its peer and polling peers whose deadline passed. Crashes cut a node
/// off for good; it is neither polled nor fed again. The run ends when every
/// surviving peer has finished.
public final class NetworkedMatch {
    public let options: NetworkedMatchOptions
    /// The peers, by slot.
    public private(set) var peers: [MeshGamePeer<SimulatedAddress, SimPeerRecorder>] = []
    /// Whether each slot crashed.
    public private(set) var crashed: [Bool]
    /// The network, for its counters.
    public private(set) var network: SimulatedNetwork
    /// When the game started (virtual time).
    public private(set) var startTime = Timestamp.zero
    private var addresses: [SimulatedAddress] = []

    /// Sets up the network and one game per seat from `makeGame` (each call a fresh
    /// game at tick 0, identical for every seat).
    public init(players: Int, options: NetworkedMatchOptions, makeGame: () throws -> any RunningGame) throws {
        self.options = options
        crashed = Array(repeating: false, count: players)
        network = SimulatedNetwork(seed: options.seed ^ 0x4E45_5457_4F52_4B00, defaultConditions: options.conditions)
        network.tickInterval = .milliseconds(5)
        let credentials = MeshCredentials(meshName: "meshplay-sim")
        var link = LinkConfiguration()
        link.linkTimeout = options.linkTimeout
        // Lockstep streams small unreliable datagrams: an ack block on each would be a sixth
        // of the traffic. Acknowledge them lazily (a few times a second; nothing waits on it).
        link.lazyUnreliableAcks = true
        // While the mesh connects (seconds under heavy loss), idle links must not time out:
        // keepalives every 100 ms (in the game, lockstep traffic keeps links busy, so none are sent).
        link.keepaliveInterval = .milliseconds(100)
        link.maxAckDelay = .milliseconds(100)
        addresses = (0..<players).map { _ in network.addNode(credentials: credentials, configuration: link) }
        let ids = addresses.map { network.peerID($0) }
        var seeds = SeededRandom(seed: options.seed ^ 0x5EED_B075)
        for index in 0..<players {
            let game = try makeGame()
            let bot = game.makeBot(slot: PlayerSlot(index), seed: seeds.derivedSeed(), skill: options.skill)
            let path = index < options.replayPaths.count ? options.replayPaths[index] : nil
            let replay = try path.map {
                try ReplayLockstepRecorder(
                    writer: ReplayFileWriter(path: $0, mode: .replace, configuration: .init(flushIntervalTicks: options.peer.tickRate)),
                    game: game, localSlot: PlayerSlot(index), ticksPerSecond: options.peer.tickRate,
                    checkpointInterval: options.peer.checksumInterval)
            }
            peers.append(MeshGamePeer(
                slot: PlayerSlot(index), peerIDs: ids, game: game, recorder: SimPeerRecorder(replay: replay),
                configuration: options.peer, tickLimit: options.ticks, input: { bot.nextInput(in: $0) }))
        }
    }

    /// Plays the match; returns false if links could not all come up or the game did not finish in time.
    @discardableResult
    public func run() -> Bool {
        guard connectAll() else { return false }
        let period = options.peer.tickPeriod
        for index in peers.indices { peers[index].beginWarmUp(at: network.now) }
        // Probe for at least `warmUp`, then until every peer has enough round trips on
        // every link (heavy loss and long latency need longer), at most `warmUpLimit`.
        let warmEnd = network.now + options.warmUp
        let warmCap = network.now + max(options.warmUp, options.warmUpLimit)
        while network.now < warmCap, network.now < warmEnd || !peers.allSatisfy(\.isWarm) { step(until: warmCap) }
        startTime = network.now
        for index in peers.indices {
            network.withNode(addresses[index]) { endpoint, now, _ in peers[index].start(at: now, endpoint: endpoint) }
        }
        for cut in options.partitions {
            network.partition(
                cut.groupA.map { addresses[$0] }, cut.groupB.map { addresses[$0] },
                from: startTime + period * Int64(cut.startTick), until: startTime + period * Int64(cut.endTick))
        }
        var chats = options.chats
        var latencyChanges = options.latencyChanges.sorted { $0.tick < $1.tick }
        let limit = startTime + period * Int64(options.ticks * 4) + .seconds(60)
        while network.now < limit {
            for crash in options.crashes where !crashed[crash.slot] && network.now >= startTime + period * Int64(crash.tick) {
                crashed[crash.slot] = true
                let others = addresses.indices.filter { $0 != crash.slot }.map { addresses[$0] }
                network.partition([addresses[crash.slot]], others, from: network.now, until: Timestamp(nanoseconds: .max))
            }
            while let change = latencyChanges.first, network.now >= startTime + period * Int64(change.tick) {
                network.defaultConditions.latency = change.latency
                latencyChanges.removeFirst()
            }
            chats.removeAll { chat in
                guard Int(peers[chat.slot].game.tick.rawValue) >= chat.tick || peers[chat.slot].isFinished else { return false }
                peers[chat.slot].sendChat(chat.text)
                return true
            }
            if peers.indices.allSatisfy({ crashed[$0] || peers[$0].isFinished }) {
                finishReplays()
                return true
            }
            let nextCrash = options.crashes.filter { !crashed[$0.slot] }.map { startTime + period * Int64($0.tick) }.min()
            let nextChange = latencyChanges.first.map { startTime + period * Int64($0.tick) }
            step(until: [network.now + .milliseconds(1), nextCrash ?? limit, nextChange ?? limit].min()!)
        }
        finishReplays()
        return false
    }

    /// Runs the network to the earliest of `deadline` and any peer's next deadline,
    /// then hands out link events and polls due peers.
    private func step(until deadline: Timestamp) {
        var target = deadline
        for index in peers.indices where !crashed[index] {
            if let due = peers[index].nextDeadline { target = min(target, max(due, network.now)) }
        }
        network.run(until: target)
        for index in peers.indices where !crashed[index] {
            let events = network.takeEvents(addresses[index])
            let peer = peers[index]
            if !events.isEmpty {
                network.withNode(addresses[index]) { endpoint, now, _ in
                    for event in events { peer.handle(event, at: now, endpoint: &endpoint) }
                }
            }
            if let due = peer.nextDeadline, due <= network.now {
                network.withNode(addresses[index]) { endpoint, now, _ in peer.poll(at: now, endpoint: &endpoint) }
            }
        }
    }

    /// Connects every pair (lower slot initiates), retrying failed attempts, for up to 60 s of virtual time.
    private func connectAll() -> Bool {
        let count = addresses.count
        var up = Array(repeating: Array(repeating: false, count: count), count: count)
        for a in 0..<count { for b in (a + 1)..<max(a + 1, count) { network.connect(addresses[a], to: addresses[b]) } }
        let ids = addresses.map { network.peerID($0) }
        let limit = network.now + .seconds(60)
        while network.now < limit {
            network.run(for: .milliseconds(10))
            for a in 0..<count {
                for event in network.takeEvents(addresses[a]) {
                    switch event {
                    case .linkUp(let peer, _):
                        if let b = ids.firstIndex(of: peer) { up[a][b] = true }
                    case .connectFailed(let address):
                        network.connect(addresses[a], to: address)
                    case .linkLost(let peer, _):
                        // An idle link can time out under heavy loss while others are still
                        // connecting: it is down again, and the lower slot connects anew.
                        guard let b = ids.firstIndex(of: peer) else { break }
                        up[a][b] = false
                        up[b][a] = false
                        if a < b { network.connect(addresses[a], to: addresses[b]) }
                    case .message:
                        break
                    }
                }
            }
            if (0..<count).allSatisfy({ a in (0..<count).allSatisfy { b in a == b || up[a][b] } }) { return true }
        }
        return false
    }

    private func finishReplays() {
        for (index, peer) in peers.enumerated() {
            guard let replay = peer.loop?.recorder.replay else { continue }
            if crashed[index] {
                try? replay.writer.close()
            } else {
                replay.finish(game: peer.game)
            }
        }
    }
}
