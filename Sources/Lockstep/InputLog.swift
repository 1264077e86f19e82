import MeshplayCore

/// One player's command stream as this peer holds it: an entry per tick, from
/// `base` on. Everything below `contiguousEnd` is held; later ticks may have gaps.
struct InputLog: Sendable {
    struct Entry: Sendable {
        var input: PlayerInput
        var chat: String?
        /// A seat taken again, announced in this player's stream (see `LockstepMessage.Seat`).
        var seat: LockstepMessage.Seat? = nil
        /// When the entry arrived (remote) or was sampled (local).
        var time: Timestamp
        /// Whether `time` is a real arrival or sample time worth measuring
        /// (not a forwarded, pre-filled or repeated entry).
        var measured: Bool
    }

    /// Entries further ahead than this beyond `contiguousEnd` are refused, bounding memory.
    static let maxLead = 1024

    /// The tick of `entries[0]`; earlier ticks were discarded.
    private(set) var base = 0
    private var entries: [Entry?] = []
    /// The first tick not held; every tick below it is (or was) held.
    private(set) var contiguousEnd = 0

    /// An empty stream from tick 0.
    init() {}

    /// An empty stream whose first tick is `tick` (a seat taken again there).
    init(startingAt tick: Int) {
        base = tick
        contiguousEnd = tick
    }

    func entry(at tick: Int) -> Entry? {
        let index = tick - base
        guard index >= 0, index < entries.count else { return nil }
        return entries[index]
    }

    /// The entry before `contiguousEnd`, if still kept.
    var last: Entry? { entry(at: contiguousEnd - 1) }

    /// Stores an entry; false when the tick is already held, discarded or too far ahead.
    /// The first value for a tick wins: a player sends exactly one per tick.
    @discardableResult
    mutating func insert(_ entry: Entry, at tick: Int) -> Bool {
        guard tick >= contiguousEnd, tick < contiguousEnd + Self.maxLead else { return false }
        let index = tick - base
        if index >= entries.count { entries.append(contentsOf: repeatElement(nil, count: index - entries.count + 1)) }
        guard entries[index] == nil else { return false }
        entries[index] = entry
        while contiguousEnd - base < entries.count, entries[contiguousEnd - base] != nil { contiguousEnd += 1 }
        return true
    }

    /// Appends at `contiguousEnd` (the local player's own stream).
    mutating func append(_ entry: Entry) { insert(entry, at: contiguousEnd) }

    /// Forgets entries below `tick` (clamped to what is held), in batches to keep it cheap.
    mutating func discard(below tick: Int) {
        let target = min(tick, contiguousEnd)
        guard target - base >= 256 else { return }
        entries.removeFirst(target - base)
        base = target
    }
}
