import MeshplayCore

/// A whole replay decoded into memory: header, input changes, events, checkpoints
/// and trailer. For viewers, tools and tests; the verifier streams instead.
///
/// A file cut off before its trailer still loads: everything up to its last whole
/// record is kept and `truncation` says where it stops.
public struct ReplayFile: Hashable, Sendable {
    /// Who played what.
    public var header: ReplayHeader
    /// Every input change, in tick then slot order. Slots start at `PlayerInput.none`.
    public var inputChanges: [ReplayInputChange]
    /// Chat lines and departures, in order.
    public var events: [ReplayTimedEvent]
    /// Recorded state checksums, in tick order.
    public var checkpoints: [ReplayCheckpoint]
    /// Players' signatures, in file order (version 3, signed recordings).
    public var attestations: [ReplayAttestation] = []
    /// The closing record; nil when the file is truncated.
    public var trailer: ReplayTrailer?
    /// Where a file without a trailer stops; nil for a complete file.
    public var truncation: ReplayTruncation?

    /// Decodes `bytes`; throws `DecodingError` for anything but a clean truncation.
    public init(bytes: [UInt8]) throws {
        var reader = try ReplayReader(bytes: bytes)
        header = reader.header
        inputChanges = []
        events = []
        checkpoints = []
        var previous = reader.inputs
        loop: while true {
            // The reader absorbs input changes silently, and only ones at the tick it stands on
            // when called; recover them by comparing what it holds before and after.
            let tick = reader.tick
            let item = try reader.next()
            for slot in previous.indices where previous[slot] != reader.inputs[slot] {
                inputChanges.append(ReplayInputChange(tick: tick, slot: PlayerSlot(slot), input: reader.inputs[slot]))
            }
            previous = reader.inputs
            switch item {
            case .advance: break
            case .checkpoint(let checkpoint): checkpoints.append(checkpoint)
            case .attestation(let attestation): attestations.append(attestation)
            case .event(let event, let tick): events.append(ReplayTimedEvent(tick: tick, event: event))
            case .end(let trailer):
                self.trailer = trailer
                break loop
            case .truncated(let truncation):
                self.truncation = truncation
                break loop
            }
        }
    }

    /// How many ticks the file describes.
    public var tickCount: Tick { trailer?.finalTick ?? truncation?.tick ?? .zero }

    /// The inputs of every tick, `[tick][slot]`. Allocates ticks × players entries: for tests and small tools.
    public func expandedInputs() -> [[PlayerInput]] {
        var current = [PlayerInput](repeating: .none, count: header.players.count)
        var result: [[PlayerInput]] = []
        result.reserveCapacity(Int(tickCount.rawValue))
        var index = 0
        for tick in 0..<tickCount.rawValue {
            while index < inputChanges.count, inputChanges[index].tick.rawValue == tick {
                current[inputChanges[index].slot.index] = inputChanges[index].input
                index += 1
            }
            result.append(current)
        }
        return result
    }
}
