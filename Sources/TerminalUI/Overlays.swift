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

    /// The key help, centred over the screen: the game's own keys (``GameControls/helpLines``) first.
    static func drawHelp(into buffer: inout CellBuffer, game: [ControlHelpLine]) {
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
        let width = 58
        let rect = Rect(x: (buffer.width - width) / 2, y: max(0, (buffer.height - lines.count - 4) / 2), width: width, height: lines.count + 4)
        buffer.fill(rect)
        buffer.box(rect, title: "Help", style: TextStyle(.title))
        for (index, line) in lines.enumerated() {
            buffer.write(line.0, x: rect.x + 2, y: rect.y + 1 + index, style: TextStyle(.title, bold: true))
            buffer.write(line.1, x: rect.x + 14, y: rect.y + 1 + index, maxColumns: width - 16)
        }
        buffer.write("any key closes", x: rect.x + 2, y: rect.maxY - 2, style: TextStyle(.muted))
    }
}
