import MeshplayCore

/// After a match: why it ended, the winner, every score, and where the replay is.
public struct ResultsScreen: Hashable, Sendable {
    public enum Action: Hashable, Sendable {
        /// Back to the room for another match.
        case again
        /// Take this player's dropped seat in the match, which goes on without it, again.
        case rejoin
        case quit
    }

    public var outcome: GameOutcome
    /// Names by slot index.
    public var names: [String]
    public var replayPath: String?
    public var localSlot: PlayerSlot
    /// Slots that left before the end (dropped, or cut off on the other side of a split): marked "left".
    public var leftSlots: [Int]
    /// Why the replay is not whole (the disk filled, the writer fell behind), if it is not:
    /// then the screen does not say "Replay saved".
    public var replayProblem: String?
    /// Whether `b` takes the player's seat again: it was dropped (its network was lost) from a
    /// network room's match that the others play on.
    public var offersRejoin = false

    public init(
        outcome: GameOutcome, names: [String], replayPath: String?, localSlot: PlayerSlot, leftSlots: [Int] = [], replayProblem: String? = nil
    ) {
        self.outcome = outcome
        self.names = names
        self.replayPath = replayPath
        self.localSlot = localSlot
        self.leftSlots = leftSlots
        self.replayProblem = replayProblem
    }

    /// Applies one key; returns what it asks of the app, if anything.
    public mutating func handle(_ key: Key) -> Action? {
        switch key {
        case .enter, .character("r"), .escape: return .again
        case .character("b") where offersRejoin: return .rejoin
        case .character("q"): return .quit
        default: return nil
        }
    }

    private func name(_ slot: PlayerSlot) -> String {
        names.indices.contains(slot.index) ? names[slot.index] : slot.description
    }

    /// Draws the screen into `buffer` (laid out for 80x24 and larger).
    public func draw(into buffer: inout CellBuffer) {
        buffer.write("meshplay", x: 1, y: 0, style: TextStyle(.title, bold: true))
        buffer.write(" - results", x: 9, y: 0, style: TextStyle(.muted))
        let rect = Rect(x: 2, y: 2, width: buffer.width - 4, height: buffer.height - 4)
        buffer.box(rect, title: "Match over: \(outcome.reason)")
        let inner = rect.inner
        let headline: String
        if let winner = outcome.winner {
            headline = winner == localSlot ? "You win! (\(name(winner)))" : "Winner: \(name(winner))"
        } else {
            headline = "A draw"
        }
        buffer.write(headline, x: inner.x + 2, y: inner.y + 1, style: TextStyle(.good, bold: true))
        buffer.write("Place  Player          Score", x: inner.x + 2, y: inner.y + 3, style: TextStyle(.muted, bold: true))
        // Where the replay went, whole: a long path (the default folder is deep) wraps rather than being cut.
        let footerWidth = max(1, inner.width - 3)
        let footer: [String]
        if let replayProblem {
            footer = Self.wrap("Replay not saved whole: \(ChatText.forDisplay(replayProblem, maxCharacters: 200))", width: footerWidth)
                + (replayPath.map { Self.wrap("What was recorded: \($0)", width: footerWidth) } ?? [])
        } else if let replayPath {
            footer = Self.wrap("Replay saved to \(replayPath)", width: footerWidth) + Self.wrap("Watch it: meshplay replay \(replayPath)", width: footerWidth)
        } else {
            footer = ["This match was not recorded."]
        }
        let rows = max(0, inner.height - 6 - footer.count)
        for (index, placing) in outcome.placings.prefix(rows).enumerated() {
            let mine = placing.slot == localSlot
            let left = leftSlots.contains(placing.slot.index) ? "left" : ""
            let line = pad("\(placing.place).", 7) + pad(name(placing.slot) + (mine ? " (you)" : ""), 16) + pad("\(placing.score)", 7) + left
            buffer.write(line, x: inner.x + 2, y: inner.y + 4 + index, style: TextStyle(.text, bold: mine))
        }
        for (index, line) in footer.enumerated() {
            buffer.write(line, x: inner.x + 2, y: inner.maxY - footer.count + index, style: TextStyle(.muted), maxColumns: footerWidth)
        }
        HintLine.draw(["Enter back to room"] + (offersRejoin ? ["b take your seat again"] : []) + ["q quit"], into: &buffer, y: buffer.height - 1)
    }

    /// `text` cut into rows of at most `width` columns (a path has no spaces to break at).
    static func wrap(_ text: String, width: Int) -> [String] {
        var rows: [String] = []
        var row = ""
        var used = 0
        for character in text {
            let size = TextWidth.columns(String(character))
            if used + size > width, !row.isEmpty {
                rows.append(row)
                row = ""
                used = 0
            }
            row.append(character)
            used += size
        }
        if !row.isEmpty || rows.isEmpty { rows.append(row) }
        return rows
    }
}
