import Attestation
import MeshplayCore

/// Decodes a replay incrementally: the header up front, then the stream as a
/// sequence of `Item`s, without materialising per-tick data.
///
/// The reader owns one `inputs` array (one entry per player) holding the inputs in
/// force; it is updated in place as input changes are decoded. Drive a game with it:
///
/// ```swift
/// var reader = try ReplayReader(bytes: bytes)
/// loop: while true {
///     switch try reader.next() {
///     case .advance(let count): for _ in 0..<count { game.step(inputs: reader.inputs) }
///     case .event(.leave(let slot), _): game.removePlayer(slot)
///     case .event(.rejoin(let slot), _): game.restorePlayer(slot)
///     case .event, .checkpoint: break
///     case .end, .truncated: break loop
///     }
/// }
/// ```
///
/// Every record's check value is verified before any of its entries is decoded, and
/// every entry is validated (order, slots, limits); violations throw `DecodingError`.
public struct ReplayReader: Sendable {
    /// One step of the decoded stream.
    public enum Item: Hashable, Sendable {
        /// Step the game `count` times (count > 0) with `inputs` as they are now.
        case advance(count: Int)
        /// The checksum recorded for the state at `tick` (the game has taken `tick` steps).
        case checkpoint(ReplayCheckpoint)
        /// An event to apply now, before the next step.
        case event(ReplayEvent, at: Tick)
        /// A player's signature for a tick at or before ``ReplayReader/tick`` (version 3).
        case attestation(ReplayAttestation)
        /// The stream ended properly; every further call returns this again.
        case end(ReplayTrailer)
        /// The file stops before its trailer; every further call returns this again.
        case truncated(ReplayTruncation)
    }

    /// Who played what.
    public let header: ReplayHeader
    /// The inputs in force for the next step, indexed by slot.
    public private(set) var inputs: [PlayerInput]
    /// How many ticks the items so far have advanced.
    public private(set) var tick: Tick = .zero
    /// Offset of the header record's payload (for errors about the header's meaning).
    public let headerOffset: Int
    /// The hash chain of the inputs decoded so far (signed replays only): it holds every
    /// input change of the ticks before ``tick`` when an `.advance` has just been handed out.
    public var inputChain: InputChain?

    private var scanner: ReplayRecordScanner
    private let playerCount: Int
    private let checkpointInterval: Int
    /// The payload of the block being decoded, past its end tick.
    private var block: ByteReader
    private var blockEndTick: UInt32 = 0
    private var previousBlockEndTick: UInt32 = 0
    private var lastEntryTick: UInt32 = 0
    private var lastPhase: ReplayFormat.EntryPhase?
    private var leftSlots: UInt32 = 0
    /// An entry whose key was read but whose tick had not been reached yet.
    private var pendingEntry: PendingEntry?
    /// Set once the trailer or the truncation point is known; returned after the last advance.
    private var ending: Item?
    /// An attestation record read, handed out once the ticks of the blocks before it are.
    private var pendingAttestation: ReplayAttestation?

    /// Reads the preamble and the header record.
    /// Throws `DecodingError` when they are malformed, tampered or cut off.
    public init(bytes: [UInt8]) throws {
        var scanner = try ReplayRecordScanner(bytes: bytes)
        let span: ReplayRecordSpan
        switch try scanner.next() {
        case .record(let found):
            guard found.type == .header else { throw DecodingError(offset: found.offset, reason: "first record is not the header") }
            span = found
        case .truncated(let offset):
            throw DecodingError(offset: offset, reason: ReplayTruncation(offset: offset, tick: .zero).description + " (header incomplete)")
        case .end:
            throw DecodingError(offset: scanner.offset, reason: "no header")
        }
        var reader = ByteReader(bytes, range: span.payload)
        header = try ReplayHeader(from: &reader, formatVersion: scanner.formatVersion)
        try reader.expectEnd("header")
        headerOffset = span.payload.lowerBound
        playerCount = header.players.count
        checkpointInterval = header.checkpointInterval
        inputs = Array(repeating: .none, count: playerCount)
        inputChain = header.attestation == nil ? nil : InputChain(playerCount: playerCount)
        block = ByteReader(bytes, range: span.end ..< span.end)
        self.scanner = scanner
    }

    /// More bytes of a stream that is still arriving (a live match feed). After the reader
    /// handed out `.truncated`, the next call to ``next()`` goes on from where the bytes stopped.
    public mutating func append(_ more: [UInt8]) {
        guard !more.isEmpty else { return }
        if case .truncated = ending { ending = nil }
        // The block reader is exhausted whenever the stream ran dry: dropping its copy of the
        // bytes lets the scanner grow its own in place instead of copying the whole stream.
        if block.isAtEnd, pendingEntry == nil { block = ByteReader([]) }
        scanner.append(more)
    }

    /// Bytes of the stream received so far.
    public var byteCount: Int { scanner.bytes.count }

    /// The next item of the stream.
    public mutating func next() throws -> Item {
        while true {
            if pendingEntry != nil || !block.isAtEnd {
                if let item = try nextEntry() { return item }
                continue
            }
            if let attestation = pendingAttestation {
                if blockEndTick > tick.rawValue { return advance(to: blockEndTick) }
                pendingAttestation = nil
                return .attestation(attestation)
            }
            if let ending {
                if case .end(let trailer) = ending, trailer.finalTick.rawValue > tick.rawValue {
                    return advance(to: trailer.finalTick.rawValue)
                }
                if case .truncated(let truncation) = ending, truncation.tick.rawValue > tick.rawValue {
                    return advance(to: truncation.tick.rawValue)
                }
                return ending
            }
            try nextRecord()
        }
    }

    private mutating func advance(to target: UInt32) -> Item {
        let count = Int(target - tick.rawValue)
        tick = Tick(target)
        return .advance(count: count)
    }

    /// Moves to the next record: a block to decode, or the trailer / truncation point.
    private mutating func nextRecord() throws {
        switch try scanner.next() {
        case .truncated(let offset):
            ending = .truncated(ReplayTruncation(offset: offset, tick: Tick(blockEndTick)))
        case .end:
            throw DecodingError(offset: scanner.offset, reason: "end of file without a trailer")
        case .record(let span):
            var reader = ByteReader(scanner.bytes, range: span.payload)
            switch span.type {
            case .header:
                throw DecodingError(offset: span.offset, reason: "second header record")
            case .block:
                let endTick = try readTick(&reader, "block end tick")
                try checkGap(from: blockEndTick, to: endTick, at: span.payload.lowerBound, "block")
                previousBlockEndTick = blockEndTick
                blockEndTick = endTick
                block = reader
            case .attestation:
                let attestation = try ReplayAttestation(from: &reader, header: header)
                guard attestation.tick.rawValue <= blockEndTick else {
                    throw DecodingError(offset: span.offset, reason: "attestation for tick \(attestation.tick), beyond the blocks before it")
                }
                pendingAttestation = attestation
            case .trailer:
                let trailer = try ReplayTrailer(from: &reader, playerCount: playerCount, formatVersion: scanner.formatVersion)
                try checkGap(from: blockEndTick, to: trailer.finalTick.rawValue, at: span.payload.lowerBound, "trailer")
                // Checks that nothing follows the trailer.
                guard case .end = try scanner.next() else {
                    throw DecodingError(offset: span.end, reason: "records after the trailer")
                }
                ending = .end(trailer)
            }
        }
    }

    private func readTick(_ reader: inout ByteReader, _ what: String) throws -> UInt32 {
        UInt32(try reader.readVarint(max: Int(UInt32.max), what))
    }

    private func checkGap(from previous: UInt32, to next: UInt32, at offset: Int, _ what: String) throws {
        guard next >= previous else {
            throw DecodingError(offset: offset, reason: "\(what) ends at tick \(next), before tick \(previous)")
        }
        guard next - previous <= UInt32(ReplayFormat.maxTicksPerBlock) else {
            throw DecodingError(offset: offset, reason: "\(what) spans \(next - previous) ticks, limit \(ReplayFormat.maxTicksPerBlock)")
        }
    }

    /// Decodes one entry of the current block. Returns an item to hand out, or nil
    /// when the entry was absorbed (an input change).
    private mutating func nextEntry() throws -> Item? {
        let entry: PendingEntry
        if let pendingEntry {
            entry = pendingEntry
            self.pendingEntry = nil
        } else {
            let keyOffset = block.offset
            let key = try block.readVarint()
            let delta = key >> 2
            guard delta <= UInt64(blockEndTick - lastEntryTick) else {
                throw DecodingError(offset: keyOffset, reason: "entry beyond the block's end tick \(blockEndTick)")
            }
            entry = PendingEntry(
                kind: ReplayFormat.EntryKind(rawValue: key & 3)!, tick: lastEntryTick + UInt32(delta), offset: keyOffset)
            if entry.tick > tick.rawValue {
                // Hand out the steps before this entry first; decode its body on the next call.
                pendingEntry = entry
                return advance(to: entry.tick)
            }
        }
        let kind = entry.kind
        let entryTick = entry.tick
        let keyOffset = entry.offset
        let phase: ReplayFormat.EntryPhase =
            switch kind {
            case .inputs: .inputs
            case .chat, .leave: .event
            case .checkpoint: .checkpoint
            }
        try checkOrder(entryTick: entryTick, phase: phase, at: keyOffset)
        lastEntryTick = entryTick
        lastPhase = phase
        switch kind {
        case .inputs:
            try readInputChanges()
            return nil
        case .chat:
            let slot = try readSlot()
            let text = try block.readString(maxBytes: ReplayFormat.maxChatBytes)
            return .event(.chat(slot: slot, text: text), at: tick)
        case .leave:
            let slotOffset = block.offset
            let slot = try readSlot()
            let bit = UInt32(1) << UInt32(slot.rawValue)
            if leftSlots & bit != 0 {
                // Version 3: a seat entry for a slot that has left is its return.
                guard header.attestation != nil else { throw DecodingError(offset: slotOffset, reason: "\(slot) leaves twice") }
                leftSlots &= ~bit
                return .event(.rejoin(slot: slot), at: tick)
            }
            leftSlots |= bit
            return .event(.leave(slot: slot), at: tick)
        case .checkpoint:
            let checksum = StateChecksum(rawValue: try block.readUInt64())
            return .checkpoint(ReplayCheckpoint(tick: tick, checksum: checksum))
        }
    }

    @inline(__always)
    private func checkOrder(entryTick: UInt32, phase: ReplayFormat.EntryPhase, at offset: Int) throws {
        if entryTick < previousBlockEndTick {
            throw DecodingError(offset: offset, reason: "entry for tick \(entryTick), which an earlier block closed")
        }
        if phase == .inputs && entryTick >= blockEndTick {
            throw DecodingError(offset: offset, reason: "inputs for tick \(entryTick) in a block ending at tick \(blockEndTick)")
        }
        if phase == .checkpoint && Int(entryTick) % checkpointInterval != 0 {
            throw DecodingError(offset: offset, reason: "checkpoint at tick \(entryTick) is not a multiple of \(checkpointInterval)")
        }
        if entryTick == lastEntryTick, let lastPhase,
            lastPhase.rawValue > phase.rawValue || (lastPhase == phase && phase != .event)
        {
            throw DecodingError(offset: offset, reason: "entries of tick \(entryTick) out of order")
        }
    }

    private mutating func readSlot() throws -> PlayerSlot {
        let offset = block.offset
        let raw = try block.readUInt8()
        guard Int(raw) < playerCount else { throw DecodingError(offset: offset, reason: "slot \(raw) is not a player") }
        return PlayerSlot(Int(raw))
    }

    /// A slot mask, then one new value per set bit, each different from the value in force.
    private mutating func readInputChanges() throws {
        let maskOffset = block.offset
        let mask = try block.readVarint()
        guard mask != 0, mask >> UInt64(playerCount) == 0 else {
            throw DecodingError(offset: maskOffset, reason: "invalid changed-slot mask")
        }
        inputChain?.recordChange(tick: lastEntryTick, mask: mask)
        var rest = mask
        while rest != 0 {
            let slot = rest.trailingZeroBitCount
            rest &= rest - 1
            let valueOffset = block.offset
            let value = PlayerInput(rawValue: UInt16(try block.readVarint(max: Int(UInt16.max), "input")))
            guard value != inputs[slot] else {
                throw DecodingError(offset: valueOffset, reason: "input of slot \(slot) marked changed but equal")
            }
            inputs[slot] = value
            inputChain?.recordChangedValue(value)
        }
    }
}

/// An entry key already decoded: its kind, absolute tick and offset.
private struct PendingEntry: Sendable {
    var kind: ReplayFormat.EntryKind
    var tick: UInt32
    var offset: Int
}
