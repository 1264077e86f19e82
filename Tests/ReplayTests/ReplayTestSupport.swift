import Attestation
@preconcurrency import Crypto
import MeshplayCore
import Replay

/// The games the tests can verify.
let testCatalog: GameCatalog = {
    var catalog = GameCatalog()
    catalog.register(GridWalker.self)
    return catalog
}()

/// A scripted match: how many players and ticks, which events when.
struct MatchScript {
    var players = 4
    var ticks: UInt32 = 300
    var seed: UInt64 = 42
    var checkpointInterval = 10
    var ticksPerSecond = 30
    var config = GridWalker.Config()
    /// Events to record at a tick (applied before that tick's step).
    var events: [ReplayTimedEvent] = []
    /// Overrides one slot's input at one tick (a forger's edit).
    var inputOverride: (tick: UInt32, slot: Int, input: PlayerInput)?
    /// Checkpoints to record instead of the real ones (a forger who cannot re-simulate).
    var forgedCheckpoints: [ReplayCheckpoint]?
    var forgedFinalChecksum: StateChecksum?
    /// Ends the recording with this early-ending reason (a quit, a lost network).
    var endedEarly: String?
    var encoderConfiguration = ReplayEncoder.Configuration()
    /// Signs the match (a version 3 file): every seat's key, and the attestation interval.
    var signers: [Curve25519.Signing.PrivateKey]?
    var attestationInterval = 60
}

/// What a recorded match produced.
struct RecordedMatch {
    var bytes: [UInt8]
    var header: ReplayHeader
    var inputs: [[PlayerInput]]
    var checkpoints: [ReplayCheckpoint]
    var finalChecksum: StateChecksum
    var outcome: GameOutcome?
}

/// Deterministic inputs: each slot picks a new value (1...8) about every fourth tick.
struct ScriptedInputs {
    var random: SeededRandom
    var current: [PlayerInput]

    init(players: Int, seed: UInt64) {
        random = SeededRandom(seed: seed ^ 0x5EED)
        current = Array(repeating: PlayerInput(rawValue: 1), count: players)
    }

    mutating func next() -> [PlayerInput] {
        for slot in current.indices where random.next(below: 4) == 0 {
            current[slot] = PlayerInput(rawValue: UInt16(1 + random.next(below: 8)))
        }
        return current
    }
}

func playerNames(_ count: Int) -> [PlayerInfo] {
    let names = ["ann", "bo", "cy", "di", "eve", "fay", "gus", "hal", "ida", "jo"]
    return (0..<count).map { PlayerInfo(slot: PlayerSlot($0), name: $0 < names.count ? names[$0] : "p\($0)") }
}

/// Plays `script` with the recording order the lockstep layer uses, through the sans-I/O encoder.
func recordMatch(_ script: MatchScript) throws -> RecordedMatch {
    let players = playerNames(script.players)
    let game = try testCatalog.makeGame(GridWalker.identity, config: script.config.canonicalBytes, players: players, seed: script.seed)
    let plan = script.signers.map { keys in
        AttestationPlan(interval: script.attestationInterval, publicKeys: keys.map { [UInt8]($0.publicKey.rawRepresentation) })
    }
    let header = ReplayHeader(
        recording: game, ticksPerSecond: script.ticksPerSecond, checkpointInterval: script.checkpointInterval, attestation: plan)
    var attestors = zip(script.signers ?? [], 0...).map { key, slot in
        Attestor(plan: plan!, localSlot: PlayerSlot(slot), game: header.game, engineVersion: header.engineVersion) { Array(try! key.signature(for: $0)) }
    }
    var encoder = ReplayEncoder(configuration: script.encoderConfiguration)
    var bytes: [UInt8] = []
    try encoder.begin(header)
    var inputs = ScriptedInputs(players: script.players, seed: script.seed)
    var allInputs: [[PlayerInput]] = []
    var checkpoints: [ReplayCheckpoint] = []
    var eventIndex = 0
    var forgedIndex = 0
    for tick in 0..<script.ticks {
        if tick % UInt32(script.checkpointInterval) == 0 {
            var checkpoint = ReplayCheckpoint(tick: Tick(tick), checksum: game.checksum())
            if let forged = script.forgedCheckpoints {
                while forgedIndex < forged.count, forged[forgedIndex].tick.rawValue < tick { forgedIndex += 1 }
                if forgedIndex < forged.count, forged[forgedIndex].tick.rawValue == tick { checkpoint = forged[forgedIndex] }
            }
            checkpoints.append(checkpoint)
            try encoder.checkpoint(tick: checkpoint.tick, checksum: checkpoint.checksum)
        }
        while eventIndex < script.events.count, script.events[eventIndex].tick.rawValue == tick {
            let event = script.events[eventIndex].event
            try encoder.record(event: event, at: Tick(tick))
            event.apply(to: game)
            eventIndex += 1
        }
        var tickInputs = inputs.next()
        if let change = script.inputOverride, change.tick == tick { tickInputs[change.slot] = change.input }
        try encoder.record(tick: Tick(tick), inputs: tickInputs)
        allInputs.append(tickInputs)
        game.step(inputs: tickInputs)
        for slot in attestors.indices {
            guard let signed = attestors[slot].applied(tick: Tick(tick), inputs: tickInputs, checksum: { game.checksum() }) else { continue }
            try encoder.attest(ReplayAttestation(slot: PlayerSlot(slot), tick: Tick(signed.own.tick), signature: signed.own.signature))
        }
        bytes += encoder.takeOutput()
    }
    let finalChecksum = script.forgedFinalChecksum ?? game.checksum()
    try encoder.finish(finalChecksum: finalChecksum, outcome: game.outcome, endedEarly: script.endedEarly)
    bytes += encoder.takeOutput()
    return RecordedMatch(
        bytes: bytes, header: header, inputs: allInputs, checkpoints: checkpoints, finalChecksum: finalChecksum, outcome: game.outcome)
}

/// A match with chat and a departure, used by several tests.
func standardScript() -> MatchScript {
    var script = MatchScript()
    script.config = GridWalker.Config(length: 300)
    script.events = [
        ReplayTimedEvent(tick: Tick(0), event: .chat(slot: PlayerSlot(0), text: "gl hf")),
        ReplayTimedEvent(tick: Tick(37), event: .chat(slot: PlayerSlot(2), text: "naïve café ☕")),
        ReplayTimedEvent(tick: Tick(120), event: .leave(slot: PlayerSlot(1))),
        ReplayTimedEvent(tick: Tick(120), event: .chat(slot: PlayerSlot(3), text: "bye bo")),
        ReplayTimedEvent(tick: Tick(250), event: .chat(slot: PlayerSlot(1), text: "still watching")),
    ]
    return script
}

/// Frames raw records into a file with a correct check chain (for crafting hostile files).
func framedFile(_ records: [(ReplayFormat.RecordType, [UInt8])]) -> [UInt8] {
    var bytes = ReplayFormat.preamble
    var chain = ReplayChain()
    for (type, payload) in records {
        let start = bytes.count
        var writer = ByteWriter()
        writer.writeUInt8(type.rawValue)
        writer.writeLengthPrefixed(payload)
        bytes += writer.bytes
        let check = chain.check(ofRecord: bytes, range: start ..< bytes.count)
        chain.advance(to: check)
        var checkWriter = ByteWriter()
        checkWriter.writeUInt64(check)
        bytes += checkWriter.bytes
    }
    return bytes
}

/// The block end tick (or trailer final tick) a record starts with.
func leadingTick(of span: ReplayRecordSpan, in bytes: [UInt8]) throws -> UInt32 {
    var reader = ByteReader(bytes, range: span.payload)
    return UInt32(try reader.readVarint())
}
