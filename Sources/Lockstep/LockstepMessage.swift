import MeshplayCore

/// The one datagram the lockstep protocol sends, peer to peer, one to two a tick (`SendSchedule`).
///
/// The common case (one run of equal inputs, ack changed) is 4 bytes: flags, the low
/// byte of the base tick, the ack as a zigzag delta from it, the run's input and length
/// packed in one byte.
///
/// Version 3 of the layout (version 2 plus attestations), built to be small: one flags byte,
/// an optional extension byte for the rare parts, then the sender's own commands as
/// run-length coded runs from a base tick, the ack of the receiver's stream as a
/// delta from that base, and only then the rare parts: the full `have` vector with
/// the lost-peer mask, a slack report, a checkpoint ack, checkpoints and forwarded
/// commands of lost players, then the sender's latest attestation (tick, 64-byte signature)
/// and the ack of the receiver's (its tick). With `checked`, a 32-bit check of everything before it
/// ends the datagram (for carriers that do not authenticate; MeshTransport's AEAD does).
/// Decoding validates every count against a limit before allocating and refuses
/// trailing bytes, so hostile input only ever throws.
struct LockstepMessage: Equatable, Sendable {
    static let version: UInt8 = 3
    /// Longest chat line, in UTF-8 bytes.
    static let maxChatBytes = 160
    /// Most entries (ticks) a single input block may claim.
    static let maxEntriesPerBlock = 64
    /// Bytes of an attestation's Ed25519 signature.
    static let signatureSize = 64
    /// Most checkpoints one datagram may carry.
    static let maxCheckpoints = 16

    /// One tick's command of one player: its input, an optional chat line, and an optional
    /// seat request (see ``Seat``).
    struct Entry: Equatable, Sendable {
        var input: PlayerInput
        var chat: String?
        var seat: Seat?

        init(input: PlayerInput, chat: String? = nil, seat: Seat? = nil) {
            self.input = input
            self.chat = chat
            self.seat = seat
        }

        /// Whether the entry says nothing but its input (only such entries collapse into runs).
        var isPlain: Bool { chat == nil && seat == nil }
    }

    /// A player's word, in its own command stream, that a dropped seat is taken again at
    /// `tick` (by the node that held it, which rejoined): every peer reads it at the same tick
    /// of the stream, so every peer re-seats the slot at the same `tick`.
    struct Seat: Equatable, Sendable {
        var slot: PlayerSlot
        var tick: UInt32
    }

    /// Consecutive ticks of one player's command stream.
    struct InputBlock: Equatable, Sendable {
        var slot: PlayerSlot
        var firstTick: UInt32
        var entries: [Entry]
    }

    /// The sender's signature of its statement at an attestation tick (see `Attestor`).
    struct Attestation: Equatable, Sendable {
        var tick: UInt32
        var signature: [UInt8]
    }

    /// One state checksum at a checkpoint tick.
    struct Checkpoint: Equatable, Sendable {
        var tick: UInt32
        var checksum: StateChecksum
    }

    /// The first tick of the receiver's stream the sender does not hold (nil: not in this datagram).
    var ack: UInt32?
    /// Per slot, the first tick of that player's stream the sender does not hold,
    /// sent together with `lostMask` (nil: neither is in this datagram, and then the
    /// sender's lost mask is empty).
    var have: [UInt32]?
    /// Bit `i` set: the sender has declared slot `i` lost. Nonzero only with `have`.
    var lostMask: UInt32
    /// How early the receiver's inputs arrive at the sender.
    var slack: SlackReport?
    /// The highest checkpoint tick of the receiver that the sender holds.
    var checkpointAck: UInt32?
    /// The sender's own commands from `ownFirstTick` (its slot is implied by the link).
    var ownFirstTick: UInt32
    var own: [Entry]
    /// Whether `ownFirstTick` travels as its low byte only: the receiver restores it
    /// from what it holds of the sender's stream. The sender may choose this only
    /// when its stream end minus the receiver's latest ack is under 256 ticks.
    var compactBase: Bool
    /// Commands of players the sender declared lost, forwarded to the receiver.
    var forwarded: [InputBlock]
    var checkpoints: [Checkpoint]
    /// The sender's latest attestation, while the receiver has not acknowledged it.
    var attestation: Attestation?
    /// The tick of the receiver's attestation the sender received last.
    var attestationAck: UInt32?

    init(
        ack: UInt32? = nil, have: [UInt32]? = nil, lostMask: UInt32 = 0, slack: SlackReport? = nil,
        checkpointAck: UInt32? = nil, ownFirstTick: UInt32 = 0, own: [Entry] = [], compactBase: Bool = false,
        forwarded: [InputBlock] = [], checkpoints: [Checkpoint] = [], attestation: Attestation? = nil, attestationAck: UInt32? = nil
    ) {
        precondition(have != nil || lostMask == 0, "a lost mask travels with the have vector")
        self.ack = ack
        self.have = have
        self.lostMask = lostMask
        self.slack = slack
        self.checkpointAck = checkpointAck
        self.ownFirstTick = ownFirstTick
        self.own = own
        self.compactBase = compactBase && !own.isEmpty
        self.forwarded = forwarded
        self.checkpoints = checkpoints
        self.attestation = attestation
        self.attestationAck = attestationAck
    }

    // Flags byte.
    static let hasAck: UInt8 = 0x01
    static let hasOwn: UInt8 = 0x02
    static let compactOwnBase: UInt8 = 0x04
    static let hasExtension: UInt8 = 0x08
    /// Bits 4-6: the number of runs of the own block (1-7), or 0 when a varint count follows.
    static let runShift: UInt8 = 4
    /// The own block's runs are packed, one byte each: input (0-15) in the high nibble,
    /// length − 1 (0-15) in the low one; no chat. The common case: a run costs one byte, not two.
    static let packedRuns: UInt8 = 0x80
    // Extension byte.
    static let hasHave: UInt8 = 0x01
    static let hasSlack: UInt8 = 0x02
    static let hasCheckpointAck: UInt8 = 0x04
    static let hasCheckpoints: UInt8 = 0x08
    static let hasForwarded: UInt8 = 0x10
    static let hasAttestation: UInt8 = 0x20
    static let hasAttestationAck: UInt8 = 0x40

    /// Consecutive equal inputs without chat collapse into one run.
    static func runs(of entries: [Entry]) -> [(entry: Entry, count: Int)] {
        var runs: [(entry: Entry, count: Int)] = []
        for entry in entries {
            if entry.isPlain, let last = runs.last, last.entry.isPlain, last.entry.input == entry.input {
                runs[runs.count - 1].count += 1
            } else {
                runs.append((entry, 1))
            }
        }
        return runs
    }

    static func write(runs: [(entry: Entry, count: Int)], to writer: inout ByteWriter) {
        for run in runs {
            // Bit 0 says a chat line follows, bit 1 a seat request (either makes a run of one).
            let flags: UInt64 = (run.entry.chat == nil ? 0 : 1) | (run.entry.seat == nil ? 0 : 2)
            writer.writeVarint(UInt64(run.entry.input.rawValue) << 2 | flags)
            if let seat = run.entry.seat {
                writer.writeUInt8(seat.slot.rawValue)
                writer.writeVarint(UInt64(seat.tick))
            }
            if let chat = run.entry.chat { writer.writeString(chat) }
            if flags == 0 { writer.writeVarint(run.count - 1) }
        }
    }

    /// Whether `runs` can travel packed (``packedRuns``): no chat or seat request, inputs under 16, runs of at most 16.
    static func packable(_ runs: [(entry: Entry, count: Int)]) -> Bool {
        runs.allSatisfy { $0.entry.isPlain && $0.entry.input.rawValue < 16 && $0.count <= 16 }
    }

    static func readPackedRuns(count runCount: Int, from reader: inout ByteReader) throws -> [Entry] {
        var entries: [Entry] = []
        for _ in 0..<runCount {
            let byte = try reader.readByte()
            let length = Int(byte & 0x0F) + 1
            guard entries.count + length <= maxEntriesPerBlock else { throw reader.error("block longer than \(maxEntriesPerBlock) entries") }
            entries.append(contentsOf: repeatElement(Entry(input: PlayerInput(rawValue: UInt16(byte >> 4)), chat: nil), count: length))
        }
        return entries
    }

    static func readRuns(count runCount: Int, from reader: inout ByteReader) throws -> [Entry] {
        var entries: [Entry] = []
        for _ in 0..<runCount {
            let raw = try reader.readVarint(max: Int(UInt16.max) << 2 | 3, "input")
            let input = PlayerInput(rawValue: UInt16(raw >> 2))
            if raw & 3 != 0 {
                guard entries.count < maxEntriesPerBlock else { throw reader.error("block longer than \(maxEntriesPerBlock) entries") }
                var seat: Seat?
                if raw & 2 != 0 {
                    let slot = try reader.readUInt8()
                    guard slot < 32 else { throw reader.error("seat slot out of range") }
                    seat = Seat(slot: PlayerSlot(Int(slot)), tick: UInt32(try reader.readVarint(max: Int(UInt32.max), "seat tick")))
                }
                let chat = raw & 1 != 0 ? try reader.readString(maxBytes: maxChatBytes) : nil
                entries.append(Entry(input: input, chat: chat, seat: seat))
            } else {
                let length = try reader.readVarint(max: maxEntriesPerBlock - 1, "run length") + 1
                guard entries.count + length <= maxEntriesPerBlock else { throw reader.error("block longer than \(maxEntriesPerBlock) entries") }
                entries.append(contentsOf: repeatElement(Entry(input: input, chat: nil), count: length))
            }
        }
        return entries
    }

    func encoded(checked: Bool = true) -> [UInt8] {
        var writer = ByteWriter(capacity: 64)
        let ownRuns = Self.runs(of: own)
        var flags: UInt8 = 0
        if ack != nil { flags |= Self.hasAck }
        let packed = !own.isEmpty && Self.packable(ownRuns)
        if !own.isEmpty {
            flags |= Self.hasOwn
            if compactBase { flags |= Self.compactOwnBase }
            if ownRuns.count <= 7 { flags |= UInt8(ownRuns.count) << Self.runShift }
            if packed { flags |= Self.packedRuns }
        }
        var ext: UInt8 = 0
        if have != nil { ext |= Self.hasHave }
        if slack != nil { ext |= Self.hasSlack }
        if checkpointAck != nil { ext |= Self.hasCheckpointAck }
        if !checkpoints.isEmpty { ext |= Self.hasCheckpoints }
        if !forwarded.isEmpty { ext |= Self.hasForwarded }
        if attestation != nil { ext |= Self.hasAttestation }
        if attestationAck != nil { ext |= Self.hasAttestationAck }
        if ext != 0 { flags |= Self.hasExtension }
        writer.writeByte(flags)
        if ext != 0 { writer.writeByte(ext) }
        let base: Int64
        if !own.isEmpty {
            if compactBase { writer.writeByte(UInt8(truncatingIfNeeded: ownFirstTick)) } else { writer.writeVarint(UInt64(ownFirstTick)) }
            base = Int64(ownFirstTick)
        } else {
            base = 0
        }
        if let ack { writer.writeSignedVarint(Int64(ack) - base) }
        if !own.isEmpty {
            if ownRuns.count > 7 { writer.writeVarint(ownRuns.count) }
            if packed {
                for run in ownRuns { writer.writeByte(UInt8(run.entry.input.rawValue) << 4 | UInt8(run.count - 1)) }
            } else {
                Self.write(runs: ownRuns, to: &writer)
            }
        }
        if let have {
            for value in have { writer.writeVarint(UInt64(value)) }
            writer.writeVarint(UInt64(lostMask))
        }
        if let slack {
            writer.writeVarint(UInt64(slack.throughTick))
            writer.writeVarint(UInt64(slack.samples))
            // Each level as what it adds to the one below it: small numbers, and the order holds by construction.
            var previous: UInt32 = 0
            for count in slack.below {
                writer.writeVarint(UInt64(count &- previous))
                previous = count
            }
        }
        if let checkpointAck { writer.writeVarint(UInt64(checkpointAck)) }
        if !checkpoints.isEmpty {
            writer.writeVarint(checkpoints.count)
            for checkpoint in checkpoints {
                writer.writeVarint(UInt64(checkpoint.tick))
                writer.writeUInt64(checkpoint.checksum.rawValue)
            }
        }
        if !forwarded.isEmpty {
            writer.writeVarint(forwarded.count)
            for block in forwarded {
                let runs = Self.runs(of: block.entries)
                writer.writeUInt8(block.slot.rawValue)
                writer.writeVarint(UInt64(block.firstTick))
                writer.writeVarint(runs.count)
                Self.write(runs: runs, to: &writer)
            }
        }
        if let attestation {
            writer.writeVarint(UInt64(attestation.tick))
            writer.writeBytes(attestation.signature)
        }
        if let attestationAck { writer.writeVarint(UInt64(attestationAck)) }
        if checked { writer.writeUInt32(Self.check(of: writer.bytes[...])) }
        return writer.bytes
    }

    /// Decodes a datagram; throws on anything malformed. `playerCount` bounds the slots;
    /// `reference` is the first tick of the sender's stream the receiver does not hold
    /// (it restores a compact base); `checked` must match the sender's choice.
    init(decoding bytes: [UInt8], playerCount: Int, reference: UInt32 = 0, checked: Bool = true) throws {
        var end = bytes.count
        if checked {
            guard bytes.count >= 5 else { throw DecodingError(offset: 0, reason: "datagram too short") }
            var trailer = ByteReader(bytes, range: bytes.count - 4 ..< bytes.count)
            guard try trailer.readUInt32() == Self.check(of: bytes[..<(bytes.count - 4)]) else {
                throw DecodingError(offset: bytes.count - 4, reason: "check mismatch")
            }
            end -= 4
        }
        var reader = ByteReader(bytes, range: 0 ..< end)
        let flags = try reader.readByte()
        let ext = flags & Self.hasExtension != 0 ? try reader.readByte() : 0
        guard flags & Self.hasExtension == 0 || ext != 0, ext & 0x80 == 0 else { throw reader.error("bad lockstep extension byte") }
        let hasOwn = flags & Self.hasOwn != 0
        guard hasOwn || flags & (Self.compactOwnBase | 0x70 | Self.packedRuns) == 0 else { throw reader.error("own-block flags without a block") }
        var base: Int64 = 0
        if hasOwn {
            if flags & Self.compactOwnBase != 0 {
                let low = try reader.readByte()
                let back = (reference &- UInt32(low)) & 0xFF
                guard back <= reference else { throw reader.error("compact base before tick 0") }
                base = Int64(reference - back)
            } else {
                base = Int64(try reader.readVarint(max: Int(UInt32.max), "first tick"))
            }
        }
        ownFirstTick = UInt32(base)
        compactBase = flags & Self.compactOwnBase != 0
        if flags & Self.hasAck != 0 {
            let value = base + max(min(try reader.readSignedVarint(), Int64(UInt32.max) + 1), -Int64(UInt32.max) - 1)
            guard value >= 0, value <= Int64(UInt32.max) else { throw reader.error("ack out of range") }
            ack = UInt32(value)
        } else {
            ack = nil
        }
        if hasOwn {
            var runCount = Int(flags >> Self.runShift) & 7
            if runCount == 0 { runCount = try reader.readVarint(max: Self.maxEntriesPerBlock, "run count") }
            guard runCount > 0 else { throw reader.error("empty own block") }
            own = flags & Self.packedRuns != 0
                ? try Self.readPackedRuns(count: runCount, from: &reader) : try Self.readRuns(count: runCount, from: &reader)
            guard base + Int64(own.count) <= Int64(UInt32.max) else { throw reader.error("block runs past the last tick") }
        } else {
            own = []
        }
        if ext & Self.hasHave != 0 {
            var have: [UInt32] = []
            have.reserveCapacity(playerCount)
            for _ in 0..<playerCount { have.append(UInt32(try reader.readVarint(max: Int(UInt32.max), "tick"))) }
            self.have = have
            lostMask = UInt32(try reader.readVarint(max: Int(UInt32.max), "lost mask"))
        } else {
            have = nil
            lostMask = 0
        }
        if ext & Self.hasSlack != 0 {
            var report = SlackReport()
            report.throughTick = UInt32(try reader.readVarint(max: Int(UInt32.max), "slack tick"))
            report.samples = UInt32(try reader.readVarint(max: Int(UInt32.max), "slack samples"))
            var total = 0
            for level in 0..<SlackReport.levels.count {
                total += try reader.readVarint(max: Int(report.samples) - total, "slack count")
                report.below[level] = UInt32(total)
            }
            slack = report
        } else {
            slack = nil
        }
        checkpointAck = ext & Self.hasCheckpointAck != 0 ? UInt32(try reader.readVarint(max: Int(UInt32.max), "checkpoint ack")) : nil
        var checkpoints: [Checkpoint] = []
        if ext & Self.hasCheckpoints != 0 {
            let count = try reader.readVarint(max: Self.maxCheckpoints, "checkpoint count")
            guard count > 0 else { throw reader.error("empty checkpoint list") }
            for _ in 0..<count {
                let tick = UInt32(try reader.readVarint(max: Int(UInt32.max), "checkpoint tick"))
                checkpoints.append(Checkpoint(tick: tick, checksum: StateChecksum(rawValue: try reader.readUInt64())))
            }
        }
        self.checkpoints = checkpoints
        var forwarded: [InputBlock] = []
        if ext & Self.hasForwarded != 0 {
            let count = try reader.readVarint(max: playerCount, "block count")
            guard count > 0 else { throw reader.error("empty forwarded list") }
            for _ in 0..<count {
                let rawSlot = try reader.readUInt8()
                guard Int(rawSlot) < playerCount, let slot = PlayerSlot(rawValue: rawSlot) else { throw reader.error("slot out of range") }
                let first = try reader.readVarint(max: Int(UInt32.max), "first tick")
                let runCount = try reader.readVarint(max: Self.maxEntriesPerBlock, "run count")
                let entries = try Self.readRuns(count: runCount, from: &reader)
                guard first + entries.count <= Int(UInt32.max) else { throw reader.error("block runs past the last tick") }
                forwarded.append(InputBlock(slot: slot, firstTick: UInt32(first), entries: entries))
            }
        }
        self.forwarded = forwarded
        if ext & Self.hasAttestation != 0 {
            let tick = UInt32(try reader.readVarint(max: Int(UInt32.max), "attestation tick"))
            attestation = Attestation(tick: tick, signature: try reader.readBytes(count: Self.signatureSize))
        } else {
            attestation = nil
        }
        attestationAck = ext & Self.hasAttestationAck != 0 ? UInt32(try reader.readVarint(max: Int(UInt32.max), "attestation ack")) : nil
        try reader.expectEnd("lockstep datagram")
    }

    /// The low 32 bits of the canonical checksum: catches corruption and stray datagrams
    /// on carriers that do not authenticate (MeshTransport does; there it is left out).
    static func check(of bytes: ArraySlice<UInt8>) -> UInt32 {
        UInt32(truncatingIfNeeded: StateHasher.checksum(of: bytes).rawValue)
    }

    /// Worst-case encoded size of one entry, for the datagram budget.
    static func worstCaseSize(of entry: Entry) -> Int {
        4 + (entry.chat.map { 2 + $0.utf8.count } ?? 0) + (entry.seat == nil ? 0 : 6)
    }
}

/// How early one player's inputs arrived at a peer, counted since the game started.
///
/// `below[j]` counts the inputs whose slack (the time from their arrival to their
/// tick becoming due) was under `level · period` for `level = levels[j]`: level 0
/// counts inputs that arrived after their tick was due, level −1 those that froze a
/// frame. Shifting the input delay by `k` ticks shifts every slack by `k` periods,
/// so the counts say what any nearby delay would have cost.
struct SlackReport: Equatable, Sendable {
    /// The levels counted, in tick periods.
    static let levels = -5 ... 3
    /// The highest tick recorded.
    var throughTick: UInt32 = 0
    /// Inputs recorded.
    var samples: UInt32 = 0
    /// Per level of `levels`, inputs with a slack under it; never decreasing along the levels.
    var below: [UInt32] = Array(repeating: 0, count: levels.count)

    /// Inputs with a slack under `level` periods.
    func count(below level: Int) -> Int64 {
        let clamped = min(max(level, Self.levels.lowerBound), Self.levels.upperBound)
        return Int64(below[clamped - Self.levels.lowerBound])
    }
}
