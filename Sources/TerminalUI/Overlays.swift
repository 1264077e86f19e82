import MeshplayCore

/// Screens drawn over or instead of the current one.
enum Overlays {
    /// The smallest terminal every screen lays out in.
    static let minimumWidth = 80
    static let minimumHeight = 24

    static func fits(width: Int, height: Int) -> Bool { width >= minimumWidth && height >= minimumHeight }

    /// Shown instead of a screen when the terminal is smaller than 80x24.
    static func drawTooSmall(into buffer: inout CellBuffer, extra: String?) {
        let lines = [
            "Terminal too small",
            "\(buffer.width)x\(buffer.height), need \(minimumWidth)x\(minimumHeight)",
            "Enlarge the window, or press q to quit.",
        ] + (extra.map { [$0] } ?? [])
        let top = max(0, (buffer.height - lines.count) / 2)
        let area = Rect(x: 0, y: 0, width: buffer.width, height: buffer.height)
        for (index, line) in lines.enumerated() {
            buffer.writeCentered(line, in: area, y: top + index, style: TextStyle(index == 0 ? .warning : .text, bold: index == 0))
        }
    }

    /// The key help, centred over the screen: the game's own keys (``GameControls/helpLines``)
    /// first, then the client's, then the game's legend (what its glyphs mean), when it has one.
    static func drawHelp(into buffer: inout CellBuffer, game: [ControlHelpLine], legend: [LegendEntry] = []) {
        let lines = game.map { ($0.keys, $0.action) } + [
            ("Enter", "open the chat line / send it"),
            ("Esc", "cancel the chat line; leave a room"),
            ("Tab", "move focus (board/members <-> chat)"),
            ("PgUp PgDn", "scroll the chat"),
            ("r / space", "ready (in a room)"),
            ("+ / -", "add / remove a bot (in a room)"),
            ("c", "create a room (lobby)"),
            ("?", "this help"),
            ("q", "quit (asks first during a match)"),
            ("Replays", "space pause, + - speed, . , step,"),
            ("", "left/right seek 5 s, Home/End"),
        ]
        let width = min(66, buffer.width)
        let keyWidth = min(24, (lines.map { TextWidth.columns($0.0) }.max() ?? 0) + 2)
        let legendRows = Self.legendRows(legend, width: width - 4, ascii: buffer.asciiOnly)
        let height = lines.count + legendRows.count + (legendRows.isEmpty ? 0 : 1) + 4
        let rect = Rect(x: (buffer.width - width) / 2, y: max(0, (buffer.height - height) / 2), width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: "Help", style: TextStyle(.title))
        for (index, line) in lines.enumerated() {
            buffer.write(line.0, x: rect.x + 2, y: rect.y + 1 + index, style: TextStyle(.title, bold: true), maxColumns: keyWidth - 1)
            buffer.write(line.1, x: rect.x + 2 + keyWidth, y: rect.y + 1 + index, maxColumns: width - keyWidth - 4)
        }
        for (index, row) in legendRows.enumerated() {
            buffer.write(row, x: rect.x + 2, y: rect.y + 2 + lines.count + index, style: TextStyle(.muted), maxColumns: width - 4)
        }
        buffer.write("any key closes", x: rect.x + 2, y: rect.maxY - 2, style: TextStyle(.muted))
    }

    /// The legend as rows of "glyph meaning" entries that fit `width` columns.
    static func legendRows(_ legend: [LegendEntry], width: Int, ascii: Bool) -> [String] {
        var rows: [String] = []
        var row = ""
        for entry in legend {
            let item = "\(ascii ? entry.asciiGlyph : entry.glyph) \(entry.meaning)"
            if row.isEmpty {
                row = item
            } else if TextWidth.columns(row) + 3 + TextWidth.columns(item) <= width {
                row += "   " + item
            } else {
                rows.append(row)
                row = item
            }
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }
}
