import MeshplayCore

/// Builds a replay file as the game goes, without doing any I/O.
///
/// Feed it the header, every tick's inputs, events and checkpoints in game order;
/// it groups them into check-chained block records and hands out the bytes of whole
/// records through `takeOutput()`, ready to append to a file. A block is closed when
/// `flushIntervalTicks` ticks have passed since the last one, when it grows past
/// `maxBlockBytes`, after every event, and on `flush()`/`finish`; so whatever was
/// handed out is always a readable (if truncated) replay.
///
/// Order of calls for tick `t` (`nextTick == t`): `checkpoint(tick: t, ...)` if `t` is a
/// multiple of K, then `record(event:at: t)` for each event, then
/// `record(tick: t, inputs:)`, which moves `nextTick` to `t + 1`.
public struct ReplayEncoder: Sendable {
    /// When blocks are closed.
    public struct Configuration: Hashable, Sendable {
        /// Close a block after this many ticks; nil means one second of game time
        /// (the header's tick rate). Clamped to `1...ReplayFormat.maxTicksPerBlock`.
        public var flushIntervalTicks: Int?
        /// Close a block once its payload reaches this many bytes.
        public var maxBlockBytes: Int

        /// Blocks every `flushIntervalTicks` ticks (nil: one second) or `maxBlockBytes` bytes.
        public init(flushIntervalTicks: Int? = nil, maxBlockBytes: Int = 16 * 1024) {
            self.flushIntervalTicks = flushIntervalTicks
            self.maxBlockBytes = maxBlockBytes
        }
    }

    private enum Stage { case idle, recording, finished }

    /// When this encoder closes blocks.
    public let configuration: Configuration
    private var stage = Stage.idle
    private var header: ReplayHeader?
    private var playerCount = 0
    private var flushInterval = 1
    private var chain = ReplayChain()
    /// Whole records not yet taken.
    private var output = ByteWriter(capacity: 4096)
    /// Entries of the block being built.
    private var entries = ByteWriter(capacity: 4096)
    /// Scratch space for one record's payload.
    private var scratch = ByteWriter(capacity: 256)
    private var lastInputs: [PlayerInput] = []
    private var leftSlots: UInt32 = 0
    /// Tick of the last entry written, the base of the next entry's delta.
    private var lastEntryTick: UInt32 = 0
    private var lastPhase: ReplayFormat.EntryPhase?
    private var lastBlockEndTick: UInt32 = 0
    /// Total bytes handed out or waiting in `output`.
    public private(set) var bytesProduced = 0

    /// The tick whose inputs `record(tick:inputs:)` expects next.
    public private(set) var nextTick: Tick = .zero

    /// An encoder waiting for `begin`.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether whole records are waiting to be taken.
    public var hasOutput: Bool { output.count > 0 }

    /// Takes the bytes of all records completed since the last call, to append to the file.
    public mutating func takeOutput() -> [UInt8] {
        let bytes = output.bytes
        output.removeAll()
        return bytes
    }

    /// Starts the file: the preamble and the header record.
    public mutating func begin(_ header: ReplayHeader) throws {
        guard stage == .idle else { throw ReplayWriteError("begin called twice") }
        if let problem = header.problem { throw ReplayWriteError("invalid replay header: \(problem)") }
        self.header = header
        playerCount = header.players.count
        lastInputs = Array(repeating: .none, count: playerCount)
        let interval = configuration.flushIntervalTicks ?? header.ticksPerSecond
        flushInterval = min(max(interval, 1), ReplayFormat.maxTicksPerBlock)
        stage = .recording
        // The lowest version that can say what this file says: unsigned files stay readable by older builds.
        let version = header.attestation == nil ? ReplayFormat.version : ReplayFormat.signedVersion
        chain = ReplayChain(version: version)
        output.writeBytes(ReplayFormat.preamble(version: version))
        bytesProduced += ReplayFormat.preambleSize
        scratch.removeAll()
        header.encode(to: &scratch, formatVersion: version)
        appendRecord(.header, payload: scratch.bytes)
    }

    /// Records the inputs every slot played at `tick`, which must be `nextTick`.
    /// Only slots whose input changed since the previous tick cost any bytes.
    public mutating func record(tick: Tick, inputs: [PlayerInput]) throws {
        try expectRecording()
        guard tick == nextTick else { throw ReplayWriteError("inputs for tick \(tick), expected tick \(nextTick)") }
        guard inputs.count == playerCount else {
            throw ReplayWriteError("\(inputs.count) inputs for \(playerCount) players at tick \(tick)")
        }
        guard tick.rawValue < UInt32.max else { throw ReplayWriteError("tick counter exhausted") }
        var mask: UInt64 = 0
        for slot in 0..<playerCount where inputs[slot] != lastInputs[slot] { mask |= 1 << UInt64(slot) }
        if mask != 0 {
            writeKey(tick: tick, kind: .inputs, phase: .inputs)
            entries.writeVarint(mask)
            for slot in 0..<playerCount where mask & (1 << UInt64(slot)) != 0 {
                entries.writeVarint(UInt64(inputs[slot].rawValue))
                lastInputs[slot] = inputs[slot]
            }
        }
        nextTick = tick.next
        if Int(nextTick.rawValue - lastBlockEndTick) >= flushInterval || entries.count >= min(configuration.maxBlockBytes, 1 << 16) {
            flush()
        }
    }

    /// Records an event at `tick`, which must be `nextTick` (events at a tick come
    /// before that tick's inputs). Closes the block so the event reaches the file at once.
    public mutating func record(event: ReplayEvent, at tick: Tick) throws {
        try expectRecording()
        guard tick == nextTick else { throw ReplayWriteError("event at tick \(tick), expected tick \(nextTick)") }
        guard event.slot.index < playerCount else { throw ReplayWriteError("event for \(event.slot), who is not a player") }
        try expectOrder(tick: tick, phase: .event)
        switch event {
        case .chat(let slot, let text):
            writeKey(tick: tick, kind: .chat, phase: .event)
            entries.writeUInt8(slot.rawValue)
            entries.writeString(text.cutToUTF8(maxBytes: ReplayFormat.maxChatBytes))
        case .leave(let slot):
            let bit = UInt32(1) << UInt32(slot.rawValue)
            guard leftSlots & bit == 0 else { throw ReplayWriteError("\(slot) left twice") }
            leftSlots |= bit
            writeKey(tick: tick, kind: .leave, phase: .event)
            entries.writeUInt8(slot.rawValue)
        case .rejoin(let slot):
            // A seat entry for a slot that has left brings it back (version 3): no new entry kind.
            let bit = UInt32(1) << UInt32(slot.rawValue)
            guard header?.attestation != nil else { throw ReplayWriteError("a rejoin needs a signed (version 3) replay") }
            guard leftSlots & bit != 0 else { throw ReplayWriteError("\(slot) rejoined without having left") }
            leftSlots &= ~bit
            writeKey(tick: tick, kind: .leave, phase: .event)
            entries.writeUInt8(slot.rawValue)
        }
        flush()
    }

    /// Records the state checksum at `tick` (after `tick` steps, before that tick's
    /// events). `tick` must be `nextTick` and a multiple of the header's checkpoint interval.
    public mutating func checkpoint(tick: Tick, checksum: StateChecksum) throws {
        try expectRecording()
        guard tick == nextTick else { throw ReplayWriteError("checkpoint at tick \(tick), expected tick \(nextTick)") }
        guard let header, Int(tick.rawValue) % header.checkpointInterval == 0 else {
            throw ReplayWriteError("checkpoint at tick \(tick) is not a multiple of the checkpoint interval")
        }
        try expectOrder(tick: tick, phase: .checkpoint)
        writeKey(tick: tick, kind: .checkpoint, phase: .checkpoint)
        entries.writeUInt64(checksum.rawValue)
    }

    /// Records `slot`'s signature for `tick` (a positive multiple of the header's attestation
    /// interval, at most `nextTick`). The block being built is closed first, so the blocks
    /// before the attestation record always reach its tick.
    public mutating func attest(_ attestation: ReplayAttestation) throws {
        try expectRecording()
        guard let plan = header?.attestation else { throw ReplayWriteError("attestation in an unsigned replay") }
        guard attestation.slot.index < playerCount, attestation.signature.count == 64 else {
            throw ReplayWriteError("attestation of \(attestation.slot) is malformed")
        }
        let tick = Int(attestation.tick.rawValue)
        guard tick > 0, tick % plan.interval == 0, attestation.tick.rawValue <= nextTick.rawValue else {
            throw ReplayWriteError("attestation at tick \(tick) (next tick \(nextTick), interval \(plan.interval))")
        }
        flush()
        scratch.removeAll()
        attestation.encode(to: &scratch)
        appendRecord(.attestation, payload: scratch.bytes)
    }

    /// Closes the block being built (if it holds anything new) so its record can be taken.
    public mutating func flush() {
        guard stage == .recording, entries.count > 0 || nextTick.rawValue > lastBlockEndTick else { return }
        scratch.removeAll()
        scratch.writeVarint(UInt64(nextTick.rawValue))
        scratch.writeBytes(entries.bytes)
        entries.removeAll()
        lastBlockEndTick = nextTick.rawValue
        appendRecord(.block, payload: scratch.bytes)
    }

    /// Ends the file: closes the last block and writes the trailer. `finalChecksum` is
    /// the state's checksum after `nextTick` steps and any events recorded at `nextTick`.
    /// `endedEarly` says why a match stopped before the game called it (see ``ReplayTrailer/endedEarly``).
    public mutating func finish(finalChecksum: StateChecksum, outcome: GameOutcome? = nil, endedEarly: String? = nil) throws {
        try expectRecording()
        let summary = outcome.map(ReplayOutcomeSummary.init)
        if let problem = summary?.problem(playerCount: playerCount) { throw ReplayWriteError(problem) }
        if entries.count > 0 { flush() }
        scratch.removeAll()
        ReplayTrailer(finalTick: nextTick, finalChecksum: finalChecksum, outcome: summary, endedEarly: endedEarly).encode(to: &scratch)
        appendRecord(.trailer, payload: scratch.bytes)
        stage = .finished
    }

    private func expectRecording() throws {
        switch stage {
        case .idle: throw ReplayWriteError("record called before begin")
        case .finished: throw ReplayWriteError("record called after finish")
        case .recording: break
        }
    }

    /// Entries of one tick come in phase order; only events may repeat.
    private func expectOrder(tick: Tick, phase: ReplayFormat.EntryPhase) throws {
        guard tick.rawValue == lastEntryTick, let lastPhase else { return }
        if lastPhase.rawValue > phase.rawValue || (lastPhase == phase && phase != .event) {
            throw ReplayWriteError("\(phase) at tick \(tick) comes after the tick's \(lastPhase)")
        }
    }

    /// An entry key: the tick delta from the previous entry, shifted past the two kind bits.
    private mutating func writeKey(tick: Tick, kind: ReplayFormat.EntryKind, phase: ReplayFormat.EntryPhase) {
        let delta = UInt64(tick.rawValue - lastEntryTick)
        entries.writeVarint(delta << 2 | kind.rawValue)
        lastEntryTick = tick.rawValue
        lastPhase = phase
    }

    /// Frames a record (type, varint length, payload, chained check) into `output`.
    private mutating func appendRecord(_ type: ReplayFormat.RecordType, payload: [UInt8]) {
        let start = output.count
        output.writeUInt8(type.rawValue)
        output.writeLengthPrefixed(payload)
        let check = chain.check(ofRecord: output.bytes, range: start ..< output.count)
        output.writeUInt64(check)
        chain.advance(to: check)
        bytesProduced += output.count - start
    }
}
