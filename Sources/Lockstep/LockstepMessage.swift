import MeshplayCore

/// The one datagram the lockstep protocol sends, peer to peer, every tick.
///
/// Layout (canonical encoding): magic "LS", version, then the sender's `have`
/// vector, its lost-peer mask, its slack report about the receiver, its
/// checkpoint ack, input blocks, its own checkpoints, and a 32-bit check of
/// everything before it. Decoding validates every count against a limit before
/// allocating and refuses trailing bytes, so hostile input only ever throws.
struct LockstepMessage: Equatable, Sendable {
    static let magic: (UInt8, UInt8) = (0x4C, 0x53)
    static let version: UInt8 = 1
    /// Longest chat line, in UTF-8 bytes.
    static let maxChatBytes = 160
    /// Most entries (ticks) a single input block may claim.
    static let maxEntriesPerBlock = 64
    /// Most checkpoints one datagram may carry.
    static let maxCheckpoints = 16

    /// One tick's command of one player: its input and an optional chat line.
    struct Entry: Equatable, Sendable {
        var input: PlayerInput
        var chat: String?
    }

    /// Consecutive ticks of one player's command stream.
    struct InputBlock: Equatable, Sendable {
        var slot: PlayerSlot
        var firstTick: UInt32
        var entries: [Entry]
    }

    /// One state checksum at a checkpoint tick.
    struct Checkpoint: Equatable, Sendable {
        var tick: UInt32
        var checksum: StateChecksum
    }

    /// Per slot: the first tick of that player's stream the sender does not hold.
    var have: [UInt32]
    /// Bit `i` set: the sender has declared slot `i` lost.
    var lostMask: UInt32
    /// How early the receiver's inputs arrive at the sender.
    var slack: SlackReport?
    /// The highest checkpoint tick of the receiver that the sender holds.
    var checkpointAck: UInt32?
    var blocks: [InputBlock]
    var checkpoints: [Checkpoint]

    func encoded() -> [UInt8] {
        var writer = ByteWriter(capacity: 256)
        writer.writeByte(Self.magic.0)
        writer.writeByte(Self.magic.1)
        writer.writeByte(Self.version)
        writer.writeVarint(UInt64(have.count))
        for value in have { writer.writeVarint(UInt64(value)) }
        writer.writeVarint(UInt64(lostMask))
        if let slack {
            writer.writeBool(true)
            writer.writeVarint(UInt64(slack.windowStart))
            writer.writeSignedVarint(slack.minimumSlackMicroseconds)
        } else {
            writer.writeBool(false)
        }
        // Zero means "none", otherwise tick + 1.
        writer.writeVarint(checkpointAck.map { UInt64($0) + 1 } ?? 0)
        writer.writeVarint(UInt64(blocks.count))
        for block in blocks {
            writer.writeUInt8(block.slot.rawValue)
            writer.writeVarint(UInt64(block.firstTick))
            writer.writeVarint(UInt64(block.entries.count))
            for entry in block.entries {
                // The low bit says whether a chat line follows, so plain inputs stay one or two bytes.
                writer.writeVarint(UInt64(entry.input.rawValue) << 1 | (entry.chat == nil ? 0 : 1))
                if let chat = entry.chat { writer.writeString(chat) }
            }
        }
        writer.writeVarint(UInt64(checkpoints.count))
        for checkpoint in checkpoints {
            writer.writeVarint(UInt64(checkpoint.tick))
            writer.writeUInt64(checkpoint.checksum.rawValue)
        }
        writer.writeUInt32(Self.check(of: writer.bytes[...]))
        return writer.bytes
    }

    /// Decodes a datagram; throws on anything malformed. `playerCount` bounds the slots.
    init(decoding bytes: [UInt8], playerCount: Int) throws {
        guard bytes.count >= 7 else { throw DecodingError(offset: 0, reason: "datagram too short") }
        var trailer = ByteReader(bytes, range: bytes.count - 4 ..< bytes.count)
        guard try trailer.readUInt32() == Self.check(of: bytes[..<(bytes.count - 4)]) else {
            throw DecodingError(offset: bytes.count - 4, reason: "check mismatch")
        }
        var reader = ByteReader(bytes, range: 0 ..< bytes.count - 4)
        guard try reader.readByte() == Self.magic.0, try reader.readByte() == Self.magic.1 else {
            throw reader.error("not a lockstep datagram")
        }
        guard try reader.readByte() == Self.version else { throw reader.error("unknown lockstep version") }
        let haveCount = try reader.readVarint(max: PlayerSlot.capacity, "player count")
        guard haveCount == playerCount else { throw reader.error("have vector for \(haveCount) players, expected \(playerCount)") }
        var have: [UInt32] = []
        have.reserveCapacity(haveCount)
        for _ in 0..<haveCount { have.append(UInt32(try reader.readVarint(max: Int(UInt32.max), "tick"))) }
        self.have = have
        lostMask = UInt32(try reader.readVarint(max: Int(UInt32.max), "lost mask"))
        if try reader.readBool() {
            let start = UInt32(try reader.readVarint(max: Int(UInt32.max), "window start"))
            // Clamped to ±1000 s so arithmetic on a hostile extreme cannot overflow.
            let raw = try reader.readSignedVarint()
            slack = SlackReport(windowStart: start, minimumSlackMicroseconds: min(max(raw, -1_000_000_000), 1_000_000_000))
        } else {
            slack = nil
        }
        let ack = try reader.readVarint(max: Int(UInt32.max) + 1, "checkpoint ack")
        checkpointAck = ack == 0 ? nil : UInt32(ack - 1)
        let blockCount = try reader.readVarint(max: playerCount, "block count")
        var blocks: [InputBlock] = []
        for _ in 0..<blockCount {
            let rawSlot = try reader.readUInt8()
            guard Int(rawSlot) < playerCount, let slot = PlayerSlot(rawValue: rawSlot) else { throw reader.error("slot out of range") }
            let first = try reader.readVarint(max: Int(UInt32.max), "first tick")
            let count = try reader.readVarint(max: Self.maxEntriesPerBlock, "entry count")
            guard first + count <= Int(UInt32.max) else { throw reader.error("block runs past the last tick") }
            var entries: [Entry] = []
            entries.reserveCapacity(count)
            for _ in 0..<count {
                let raw = try reader.readVarint(max: Int(UInt16.max) << 1 | 1, "input")
                let chat = raw & 1 == 1 ? try reader.readString(maxBytes: Self.maxChatBytes) : nil
                entries.append(Entry(input: PlayerInput(rawValue: UInt16(raw >> 1)), chat: chat))
            }
            blocks.append(InputBlock(slot: slot, firstTick: UInt32(first), entries: entries))
        }
        self.blocks = blocks
        let checkpointCount = try reader.readVarint(max: Self.maxCheckpoints, "checkpoint count")
        var checkpoints: [Checkpoint] = []
        for _ in 0..<checkpointCount {
            let tick = UInt32(try reader.readVarint(max: Int(UInt32.max), "checkpoint tick"))
            checkpoints.append(Checkpoint(tick: tick, checksum: StateChecksum(rawValue: try reader.readUInt64())))
        }
        self.checkpoints = checkpoints
        try reader.expectEnd("lockstep datagram")
    }

    init(have: [UInt32], lostMask: UInt32, slack: SlackReport?, checkpointAck: UInt32?, blocks: [InputBlock], checkpoints: [Checkpoint]) {
        self.have = have
        self.lostMask = lostMask
        self.slack = slack
        self.checkpointAck = checkpointAck
        self.blocks = blocks
        self.checkpoints = checkpoints
    }

    /// The low 32 bits of the canonical checksum: catches corruption and stray datagrams
    /// (the transport authenticates; this only keeps garbage from being applied).
    static func check(of bytes: ArraySlice<UInt8>) -> UInt32 {
        UInt32(truncatingIfNeeded: StateHasher.checksum(of: bytes).rawValue)
    }

    /// Worst-case encoded size of one entry, for the datagram budget.
    static func worstCaseSize(of entry: Entry) -> Int {
        3 + (entry.chat.map { 2 + $0.utf8.count } ?? 0)
    }
}

/// How early one player's inputs arrived at a peer, over a recent window of ticks.
struct SlackReport: Equatable, Sendable {
    /// The first tick the window covers.
    var windowStart: UInt32
    /// The smallest margin between an input's arrival and the moment its tick
    /// was first due; negative when the peer had to wait for it.
    var minimumSlackMicroseconds: Int64
}
