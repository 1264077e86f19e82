import Attestation
import Lockstep
import MeshTransport
import MeshplayCore
@testable import Netplay
import Replay
import Snake
import Testing

/// A signed match history as a player's node keeps it (`MatchHistory`): three snake bots,
/// 20 Hz, checkpoints every 10 ticks, attestations every 40.
struct SignedHistory {
    static let players = 3
    static let interval = 40

    var bytes: [UInt8]
    var attestations: [ReplayAttestation] = []
    /// The checksum at each checkpoint tick 10, 20, …
    var checkpoints: [StateChecksum] = []
    var finalChecksum: StateChecksum

    static var identities: [NodeIdentity] {
        var entropy = SeededEntropy(seed: 4242)
        return (0..<players).map { _ in NodeIdentity(entropy: &entropy) }
    }

    static var seats: [PeerID] { identities.map(\.peerID) }

    static func makeGame(ticks: Int = 200) throws -> any RunningGame {
        let rules = try SnakeRules(config: SnakeConfig.standard(matchTicks: ticks))
        return try GameInstance(rules: rules, players: (0..<players).map { PlayerInfo(slot: PlayerSlot($0), name: "s\($0)") }, seed: 11)
    }

    static func plan(_ identities: [NodeIdentity]) -> AttestationPlan {
        AttestationPlan(interval: interval, publicKeys: identities.map { [UInt8]($0.publicKey.rawRepresentation) })
    }

    /// Plays `ticks` ticks with the same bots every time; `edit` changes one input, and then
    /// only `signer` signs anew: the other seats' signatures are `borrowed` from an honest run,
    /// and so are its checkpoints when `borrowedCheckpoints` are given (a forger that does not re-simulate).
    init(
        ticks: Int = 200, identities: [NodeIdentity] = Self.identities, edit: (tick: Int, slot: Int)? = nil,
        signer: Int? = nil, borrowed: [ReplayAttestation] = [], borrowedCheckpoints: [StateChecksum] = []
    ) throws {
        let game = try Self.makeGame(ticks: ticks)
        let plan = Self.plan(identities)
        var history = MatchHistory(game: game, localSlot: PlayerSlot(0), tickRate: 20, checkpointInterval: 10, attestation: plan)
        let engineVersion = ReplayHeader(recording: game, ticksPerSecond: 20, checkpointInterval: 10).engineVersion
        var attestors = identities.enumerated().map { slot, identity in
            Attestor(plan: plan, localSlot: PlayerSlot(slot), game: game.identity, engineVersion: engineVersion) { identity.sign($0) }
        }
        let bots = (0..<Self.players).map { game.makeBot(slot: PlayerSlot($0), seed: UInt64(90 + $0), skill: .normal) }
        for tick in 0..<ticks {
            var inputs = bots.map { $0.nextInput(in: game) }
            if let edit, edit.tick == tick { inputs[edit.slot] = PlayerInput(rawValue: inputs[edit.slot].rawValue == 1 ? 2 : 1) }
            game.step(inputs: inputs)
            history.recordTick(Tick(UInt32(tick)), inputs: inputs)
            if (tick + 1) % 10 == 0 {
                let index = checkpoints.count
                checkpoints.append(index < borrowedCheckpoints.count ? borrowedCheckpoints[index] : game.checksum())
                history.checkpoint(Tick(UInt32(tick)), checksum: checkpoints[index])
            }
            for slot in attestors.indices {
                guard let signed = attestors[slot].applied(tick: Tick(UInt32(tick)), inputs: inputs, checksum: { game.checksum() }) else { continue }
                var attestation = ReplayAttestation(slot: PlayerSlot(slot), tick: Tick(signed.own.tick), signature: signed.own.signature)
                if edit != nil, slot != signer, let honest = borrowed.first(where: { $0.slot == attestation.slot && $0.tick == attestation.tick }) {
                    attestation = honest
                }
                attestations.append(attestation)
                history.recordAttestation(slot: attestation.slot, tick: attestation.tick.rawValue, signature: attestation.signature)
            }
        }
        history.finish(game: game, endedEarly: nil)
        #expect(history.failure == nil)
        bytes = history.bytes
        finalChecksum = game.checksum()
    }
}

/// A spectator's side of a feed, without the network: the feed and the match it steps.
struct Subscriber {
    var feed: WatchFeed
    var core: MatchCore?

    init(seats: [PeerID] = SignedHistory.seats) {
        feed = WatchFeed(feeder: seats[0])
        _ = feed.receive(.seats(round: 1, players: seats), at: .zero)
    }

    /// Takes `bytes` in pieces of `piece` bytes, applying what arrives as a returning node would.
    mutating func take(_ bytes: [UInt8], piece: Int = 700) throws {
        var offset = 0
        while offset < bytes.count, feed.problem == nil {
            let end = min(bytes.count, offset + piece)
            if feed.receive(.history(offset: UInt64(offset), bytes: Array(bytes[offset..<end])), at: .zero) { try makeCore() }
            offset = end
            if core != nil { _ = feed.apply(to: &core!, upTo: feed.availableTick) }
        }
    }

    private mutating func makeCore() throws {
        let header = try #require(feed.header)
        let game = try SignedHistory.makeGame()
        let attestor = header.attestation.map { plan in
            Attestor(plan: plan, localSlot: PlayerSlot(0), game: header.game, engineVersion: header.engineVersion) { _ in [UInt8](repeating: 0, count: 64) }
        }
        core = MatchCore.fed(
            slot: PlayerSlot(0), peerIDs: feed.seats!, game: game, recorder: NodeRecorder(recording: nil, keepsTally: false),
            configuration: MatchConfiguration(tickRate: header.ticksPerSecond, checksumInterval: header.checkpointInterval),
            tickLimit: Int(Int32.max), attestor: attestor, signs: false)
    }
}

@Suite("Watch feeds: the wire, and histories that do not hold")
struct WatchFeedTests {
    @Test("every watch message round-trips", arguments: [
        WatchMessage.subscribe(rejoin: false), .subscribe(rejoin: true),
        .seats(round: 7, players: SignedHistory.seats), .seats(round: 0, players: []),
        .history(offset: 0, bytes: []), .history(offset: 123_456, bytes: Array(repeating: 0xAB, count: WatchMessage.maxPiece)),
        .refused("no match is running here"), .refused(""), .seatMe, .unsubscribe,
        .seated(atTick: 1200, dueTick: 1180), .seated(atTick: UInt32.max, dueTick: 0),
    ])
    func roundTrip(message: WatchMessage) throws {
        #expect(try WatchMessage(decoding: message.bytes) == message)
    }

    @Test("malformed watch messages are refused")
    func malformed() throws {
        let seats = WatchMessage.seats(round: 1, players: SignedHistory.seats).bytes
        let cases: [[UInt8]] = [
            [], [1], [2, 1, 0], [1, 0], [1, 8], [1, 99],              // empty, no kind, unknown version, unknown kinds
            [1, 1, 0, 0], [1, 5, 0], [1, 6, 1],                          // trailing bytes
            [1, 1, 2],                                                   // a bool that is neither 0 nor 1
            Array(seats.dropLast()),                                     // a seat id cut short
            [1, 2, 0, 0, 0, 1, 33] + Array(repeating: 0, count: 33 * 16), // 33 seats
            WatchMessage.history(offset: 0, bytes: []).bytes + Array(repeating: 0, count: WatchMessage.maxPiece + 1),
            [1, 3, 0x80, 0x80, 0x80, 0x80, 0x10],                        // an offset past 32 bits
            [1, 4, 161] + Array(repeating: 0x61, count: 161),            // a refusal over 160 bytes
            [1, 4, 2, 0xC3, 0x28],                                       // a refusal that is not UTF-8
            [1, 7, 5], [1, 7, 0x80, 0x80, 0x80, 0x80, 0x10, 0],          // a seat with no due tick; a tick past 32 bits
        ]
        for bytes in cases {
            #expect(throws: DecodingError.self, "\(bytes.prefix(12))") { try WatchMessage(decoding: bytes) }
        }
        for length in 0..<seats.count {
            #expect(throws: DecodingError.self) { try WatchMessage(decoding: Array(seats.prefix(length))) }
        }
    }

    @Test("a long refusal is cut to 160 bytes at a character boundary, and still decodes")
    func longRefusalIsCut() throws {
        for reason in [String(repeating: "a", count: 159) + "é and more", String(repeating: "ü", count: 100), String(repeating: "x", count: 400)] {
            guard case .refused(let text) = try WatchMessage(decoding: WatchMessage.refused(reason).bytes) else {
                Issue.record("not a refusal")
                continue
            }
            #expect(text.utf8.count <= 160 && reason.hasPrefix(text) && !text.isEmpty, "\(text)")
        }
    }

    @Test("an honest signed history is applied to its end")
    func honestHistoryHolds() throws {
        let honest = try SignedHistory()
        var subscriber = Subscriber()
        try subscriber.take(honest.bytes)
        #expect(subscriber.feed.problem == nil)
        #expect(subscriber.feed.trailer?.finalChecksum == honest.finalChecksum)
        let core = try #require(subscriber.core)
        #expect(core.game.tick == Tick(200) && core.game.checksum() == honest.finalChecksum)
        // Every seat's signatures held, the last at tick 200.
        #expect(core.attestedThrough == [200, 200, 200])
    }

    @Test("one input changed and the history re-encoded honestly: the feed is refused, naming the signature that fails")
    func editedInputIsRefused() throws {
        let honest = try SignedHistory()
        // The feeder (slot 0) edits slot 1's input at tick 55, re-simulates (so every checkpoint
        // is right), signs its own statements anew and keeps the others' signatures.
        let forged = try SignedHistory(edit: (tick: 55, slot: 1), signer: 0, borrowed: honest.attestations)
        #expect(forged.bytes != honest.bytes)
        #expect(ReplayVerifier.verify(bytes: forged.bytes, catalog: NodeWorld.catalog).status == .mismatch)
        var subscriber = Subscriber()
        try subscriber.take(forged.bytes)
        #expect(subscriber.feed.problem == "the signature of slot 1 at tick 80 does not hold")
        // Nothing past the first attestation after the edit was applied.
        #expect(try #require(subscriber.core).game.tick == Tick(80))
        #expect(subscriber.feed.trailer == nil)
    }

    @Test("an edited input with the old checkpoints and signatures kept is refused at the first check it fails")
    func staleCheckpointIsRefused() throws {
        let honest = try SignedHistory()
        // A forger that does not re-simulate: the same edit, every checkpoint and signature copied.
        let forged = try SignedHistory(edit: (tick: 55, slot: 1), borrowed: honest.attestations, borrowedCheckpoints: honest.checkpoints)
        #expect(forged.checkpoints == honest.checkpoints && forged.bytes != honest.bytes)
        var subscriber = Subscriber()
        try subscriber.take(forged.bytes)
        let problem = try #require(subscriber.feed.problem)
        // The state changes at once after the edit (a checkpoint differs), or at the latest the
        // input hash chain breaks the signatures of tick 80.
        let stale = [60, 70, 80].map { "the history's checksum at tick \($0) is not the re-simulation's" }
        #expect(stale.contains(problem) || problem == "the signature of slot 0 at tick 80 does not hold", "\(problem)")
        #expect(try #require(subscriber.core).game.tick.rawValue <= 80)
    }

    @Test("a history signed with keys that are not the seats' is refused")
    func keysMustBeTheSeats() throws {
        var entropy = SeededEntropy(seed: 5)
        let stranger = NodeIdentity(entropy: &entropy)
        // The feeder signs slot 2 with its own key, but the seat belongs to someone else.
        var keys = SignedHistory.identities
        keys[2] = stranger
        let history = try SignedHistory(identities: keys)
        var subscriber = Subscriber()
        try subscriber.take(history.bytes)
        #expect(subscriber.feed.problem == "the history's key of slot 2 is not that seat's")
        #expect(subscriber.core == nil)

        // And the honest history sent with the wrong seats (one more, or one swapped) is refused too.
        let honest = try SignedHistory()
        var more = Subscriber(seats: SignedHistory.seats + [stranger.peerID])
        try more.take(honest.bytes)
        #expect(more.feed.problem == "the history is not signed for the seats it was sent with")
        var swapped = Subscriber(seats: [SignedHistory.seats[1], SignedHistory.seats[0], SignedHistory.seats[2]])
        try swapped.take(honest.bytes)
        #expect(swapped.feed.problem == "the history's key of slot 0 is not that seat's")
    }

    @Test("pieces out of order, and a feeder's refusal, end the feed with the reason")
    func outOfOrderAndRefused() throws {
        let honest = try SignedHistory()
        var feed = WatchFeed(feeder: SignedHistory.seats[0])
        let readable = feed.receive(.history(offset: 0, bytes: Array(honest.bytes.prefix(10))), at: .zero)
        #expect(!readable)
        #expect(feed.problem == "the history arrived out of order", "history before the seats")
        var gap = Subscriber()
        _ = gap.feed.receive(.history(offset: 0, bytes: Array(honest.bytes.prefix(100))), at: .zero)
        _ = gap.feed.receive(.history(offset: 101, bytes: Array(honest.bytes[101..<200])), at: .zero)
        #expect(gap.feed.problem == "the history arrived out of order")
        var refused = Subscriber()
        _ = refused.feed.receive(.refused("this player feeds 11 spectators already\u{1B}[2J"), at: .zero)
        #expect(refused.feed.problem?.hasPrefix("refused: this player feeds 11 spectators already") == true)
        #expect(refused.feed.problem?.contains("\u{1B}") == false)
    }

    @Test("a node watching through a player that lies drops the feed and says why")
    func watcherDropsALyingFeeder() throws {
        let honest = try SignedHistory()
        let forged = try SignedHistory(edit: (tick: 55, slot: 1), signer: 0, borrowed: honest.attestations)
        var world = NodeWorld(seed: 3)
        let liar = world.add(name: "liar")
        let watcher = world.add(via: liar, name: "watcher")
        world.driver.withCore(world.addresses[watcher]) { node, _, _, output in node.joinMesh(into: &output) }
        let linked = world.run(for: .seconds(10)) { world in
            world.driver.network.nodes[Int(world.addresses[watcher].node)].connectedPeers.count == 1
        }
        #expect(linked)
        let (liarID, watcherID) = (world.driver.peerID(world.addresses[liar]), world.driver.peerID(world.addresses[watcher]))
        world.driver.withCore(world.addresses[watcher]) { node, endpoint, now, output in
            node.watchMatch(from: liarID, delay: .zero, endpoint: &endpoint, at: now, into: &output)
        }
        // The liar sends the seats and its edited history before it hears the subscription.
        world.driver.withCore(world.addresses[liar]) { _, endpoint, _, _ in
            var messages = [WatchMessage.seats(round: 1, players: SignedHistory.seats)]
            for offset in stride(from: 0, to: forged.bytes.count, by: 1000) {
                messages.append(.history(offset: UInt64(offset), bytes: Array(forged.bytes[offset..<min(forged.bytes.count, offset + 1000)])))
            }
            for message in messages { _ = endpoint.sendReliable(message.bytes, channel: WatchMessage.channel, to: watcherID) }
        }
        let ended = world.run(for: .seconds(10)) { world in
            world.events[watcher].contains { if case .watchEnded = $0 { true } else { false } }
        }
        #expect(ended, "\(world.events[watcher])")
        let problem = "the signature of slot 1 at tick 80 does not hold"
        #expect(world.events[watcher].contains { if case .watchEnded(problem, Tick(80), _, _) = $0 { true } else { false } }, "\(world.events[watcher])")
        #expect(world.driver.inspect(world.addresses[watcher]) { $0.watchProblem } == problem)
        #expect(world.driver.inspect(world.addresses[watcher]) { $0.watchedMatch?.game.tick } == Tick(80))
    }
}
