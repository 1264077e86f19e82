import MeshplayCore

/// What chatty bots say: a fixed list of lines picked by a seeded draw, at a human
/// rate (one line every few seconds).
struct BotChatLines {
    static let lines = [
        "hi all", "good luck", "gl hf", "nice move", "watch the walls", "that was close",
        "anyone hungry?", "left, left, LEFT", "oops", "well played", "again?", "lag? none here",
        "ok this map is tricky", "going for the food", "brb (not really)", "gg",
    ]

    private var random: SeededRandom
    private var nextLineAt: Timestamp?

    init(seed: UInt64) { random = SeededRandom(seed: seed ^ 0xC4A7_11E5) }

    /// The line to say at `now`, if one is due (the first comes 1-4 s after the first call, then every 3-7 s).
    mutating func line(at now: Timestamp) -> String? {
        guard let due = nextLineAt else {
            nextLineAt = now + .milliseconds(Int64(1000 + draw(3000)))
            return nil
        }
        guard now >= due else { return nil }
        nextLineAt = now + .milliseconds(Int64(3000 + draw(4000)))
        return Self.lines[draw(Self.lines.count)]
    }

    private mutating func draw(_ bound: Int) -> Int { random.nextIndex(below: bound) }
}
