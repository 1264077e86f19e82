import MeshplayCore

/// The glyphs a Blast board is drawn with (Unicode, then the ASCII fallback). Every ASCII
/// glyph differs from every other, so an ASCII-only terminal shows the same board.
public enum BlastGlyphs {
    /// A fixed wall.
    public static let wall = GameCell(glyph: "█", asciiGlyph: "#", role: .wall)
    /// A crate (drawn in the wall colour, with a lighter shade).
    public static let crate = GameCell(glyph: "▒", asciiGlyph: "%", role: .wall)
    /// Fire: a blast's flames, or a crate burning away.
    public static let fire = GameCell(glyph: "✱", asciiGlyph: "*", role: .dead)
    /// Where a player was caught (when nothing else is there).
    public static let fallen = GameCell(glyph: "✖", asciiGlyph: "x", role: .dead)

    /// A ticking bomb, in its owner's colour.
    public static func bomb(_ owner: PlayerSlot) -> GameCell {
        GameCell(glyph: "●", asciiGlyph: "o", role: .player(owner))
    }

    /// A bomb in the last third of its fuse, in the danger colour.
    public static let bombAboutToBlow = GameCell(glyph: "◉", asciiGlyph: "O", role: .dead)

    /// A power-up lying in the open.
    public static func powerUp(_ kind: BlastPowerUp) -> GameCell {
        switch kind {
        case .range: GameCell(glyph: "✚", asciiGlyph: "+", role: .item)
        case .bomb: GameCell(glyph: "♦", asciiGlyph: "b", role: .item)
        case .speed: GameCell(glyph: "»", asciiGlyph: "s", role: .item)
        }
    }

    /// A standing player: its spawn label (`1`-`9`, `A`-`G`) in its colour.
    public static func player(_ slot: PlayerSlot) -> GameCell {
        let label = BlastMap.spawnLabel(slot.index).unicodeScalars.first!
        return GameCell(glyph: label, asciiGlyph: label, role: .playerHead(slot))
    }
}

extension BlastRules {
    /// What the board's glyphs mean, one line per glyph: Unicode glyph, ASCII glyph, meaning
    /// (the controls' legend, which a client shows with its help).
    public static var legend: [String] { controls.legend.map { "\($0.glyph) \($0.asciiGlyph) \($0.meaning)" } }
}
