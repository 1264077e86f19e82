import MeshplayCore

/// Something that happened during a match besides inputs, recorded at its tick.
///
/// Events at tick `t` take effect before tick `t` is stepped: a player who leaves
/// at tick `t` is removed (`RunningGame.removePlayer`) and then tick `t` runs.
public enum ReplayEvent: Hashable, Sendable {
    /// A chat line. It does not affect the simulation. The writer cuts text to
    /// `ReplayFormat.maxChatBytes` bytes of UTF-8 on a character boundary.
    case chat(slot: PlayerSlot, text: String)
    /// The player left or its node was lost; the game removes it.
    case leave(slot: PlayerSlot)

    /// The player the event is about.
    public var slot: PlayerSlot {
        switch self {
        case .chat(let slot, _), .leave(let slot): slot
        }
    }
}

/// An event with the tick it happened at.
public struct ReplayTimedEvent: Hashable, Sendable {
    public var tick: Tick
    public var event: ReplayEvent

    public init(tick: Tick, event: ReplayEvent) {
        self.tick = tick
        self.event = event
    }
}

/// A recorded state checksum: the checksum of the state after `tick` steps
/// (when `RunningGame.tick == tick`), before the events at `tick` are applied.
public struct ReplayCheckpoint: Hashable, Sendable {
    public var tick: Tick
    public var checksum: StateChecksum

    public init(tick: Tick, checksum: StateChecksum) {
        self.tick = tick
        self.checksum = checksum
    }
}

/// One slot's input changing: from `tick` on (until the next change) it plays `input`.
public struct ReplayInputChange: Hashable, Sendable {
    public var tick: Tick
    public var slot: PlayerSlot
    public var input: PlayerInput

    public init(tick: Tick, slot: PlayerSlot, input: PlayerInput) {
        self.tick = tick
        self.slot = slot
        self.input = input
    }
}

/// Where a file that ends without its trailer stops being readable.
public struct ReplayTruncation: Hashable, Sendable, CustomStringConvertible {
    /// Byte offset just past the last whole record (where the cut-off record starts).
    public var offset: Int
    /// How many ticks the whole records describe.
    public var tick: Tick

    public init(offset: Int, tick: Tick) {
        self.offset = offset
        self.tick = tick
    }

    public var description: String { "truncated at byte \(offset) after tick \(tick)" }
}

extension String {
    /// The longest prefix of at most `limit` UTF-8 bytes that ends on a character boundary.
    func cutToUTF8(maxBytes limit: Int) -> String {
        if utf8.count <= limit { return self }
        var result = ""
        var used = 0
        for character in self {
            let size = character.utf8.count
            if used + size > limit { break }
            result.append(character)
            used += size
        }
        return result
    }
}
