import MeshplayCore

/// A compact, canonical record of how the match ended.
public struct ReplayOutcomeSummary: Hashable, Sendable {
    /// The single winner, or nil for a draw.
    public var winner: PlayerSlot?
    /// Every player, best first.
    public var placings: [GameOutcome.Placing]
    /// Why the match ended, cut to `ReplayFormat.maxOutcomeReasonBytes`.
    public var reason: String

    /// A summary; `reason` is cut to the format's limit.
    public init(winner: PlayerSlot?, placings: [GameOutcome.Placing], reason: String) {
        self.winner = winner
        self.placings = placings
        self.reason = reason.cutToUTF8(maxBytes: ReplayFormat.maxOutcomeReasonBytes)
    }

    /// The summary of a game's outcome, exactly as the writer stores it.
    public init(_ outcome: GameOutcome) {
        self.init(winner: outcome.winner, placings: outcome.placings, reason: outcome.reason)
    }

    func problem(playerCount: Int) -> String? {
        if let winner, winner.index >= playerCount { return "outcome winner \(winner) is not a player" }
        if placings.count > playerCount { return "outcome has more placings than players" }
        for placing in placings where placing.slot.index >= playerCount || placing.place < 0 || placing.place > PlayerSlot.capacity {
            return "outcome placing for \(placing.slot) is invalid"
        }
        return nil
    }

    func encode(to writer: inout ByteWriter) {
        writer.writeVarint(winner.map { $0.index + 1 } ?? 0)
        writer.writeVarint(placings.count)
        for placing in placings {
            writer.writeUInt8(placing.slot.rawValue)
            writer.writeSignedVarint(Int64(placing.score))
            writer.writeVarint(placing.place)
        }
        writer.writeString(reason)
    }

    init(from reader: inout ByteReader, playerCount: Int) throws {
        let winnerCode = try reader.readVarint(max: playerCount, "winner")
        winner = winnerCode == 0 ? nil : PlayerSlot(winnerCode - 1)
        let count = try reader.readVarint(max: playerCount, "placing count")
        var placings: [GameOutcome.Placing] = []
        placings.reserveCapacity(count)
        for _ in 0..<count {
            let slotOffset = reader.offset
            let slot = Int(try reader.readUInt8())
            guard slot < playerCount else { throw DecodingError(offset: slotOffset, reason: "placing slot \(slot) is not a player") }
            let score = try reader.readSignedVarint()
            let place = try reader.readVarint(max: PlayerSlot.capacity, "place")
            placings.append(GameOutcome.Placing(slot: PlayerSlot(slot), score: Int(score), place: place))
        }
        self.placings = placings
        reason = try reader.readString(maxBytes: ReplayFormat.maxOutcomeReasonBytes)
    }
}

/// The record that closes a finished replay.
public struct ReplayTrailer: Hashable, Sendable {
    /// How many ticks the match ran.
    public var finalTick: Tick
    /// The state checksum after every tick and every event of the stream.
    public var finalChecksum: StateChecksum
    /// How the match ended, when the recorder knew.
    public var outcome: ReplayOutcomeSummary?
    /// Why the match stopped before the game called it ("left the match", "network lost"),
    /// or nil when it was played out. Cut to `ReplayFormat.maxOutcomeReasonBytes`.
    public var endedEarly: String?

    /// A trailer from its fields; `endedEarly` is cut to the format's limit.
    public init(finalTick: Tick, finalChecksum: StateChecksum, outcome: ReplayOutcomeSummary?, endedEarly: String? = nil) {
        self.finalTick = finalTick
        self.finalChecksum = finalChecksum
        self.outcome = outcome
        self.endedEarly = endedEarly?.cutToUTF8(maxBytes: ReplayFormat.maxOutcomeReasonBytes)
    }

    func encode(to writer: inout ByteWriter) {
        writer.writeVarint(UInt64(finalTick.rawValue))
        writer.writeUInt64(finalChecksum.rawValue)
        writer.writeBool(outcome != nil)
        outcome?.encode(to: &writer)
        writer.writeBool(endedEarly != nil)
        if let endedEarly { writer.writeString(endedEarly) }
    }

    /// Decodes a trailer of a file of format `formatVersion` (version 1 has no early ending).
    init(from reader: inout ByteReader, playerCount: Int, formatVersion: UInt16) throws {
        finalTick = Tick(UInt32(try reader.readVarint(max: Int(UInt32.max), "final tick")))
        finalChecksum = StateChecksum(rawValue: try reader.readUInt64())
        outcome = try reader.readBool() ? try ReplayOutcomeSummary(from: &reader, playerCount: playerCount) : nil
        if formatVersion >= 2, try reader.readBool() {
            endedEarly = try reader.readString(maxBytes: ReplayFormat.maxOutcomeReasonBytes)
        }
        try reader.expectEnd("trailer")
    }
}
