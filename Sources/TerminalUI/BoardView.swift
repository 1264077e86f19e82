import MeshplayCore

/// Draws a `GameView`'s grid into a rectangle: centred when it fits, otherwise a
/// window that follows a focus point (the local player's head), clipped at the edges.
enum BoardView {
    /// The window's top-left corner in grid coordinates for a grid of `size` shown in
    /// `viewport`, keeping `focus` as central as the grid's edges allow.
    static func origin(grid: (width: Int, height: Int), viewport: Rect, focus: (x: Int, y: Int)?) -> (x: Int, y: Int) {
        func axis(_ length: Int, _ room: Int, _ point: Int?) -> Int {
            guard length > room else { return 0 }
            let centre = point ?? length / 2
            return min(max(0, centre - room / 2), length - room)
        }
        return (axis(grid.width, viewport.width, focus?.x), axis(grid.height, viewport.height, focus?.y))
    }

    static func draw(_ view: GameView, in viewport: Rect, focus: (x: Int, y: Int)?, localSlot: PlayerSlot?, into buffer: inout CellBuffer) {
        let start = origin(grid: (view.width, view.height), viewport: viewport, focus: focus)
        let shownWidth = min(view.width, viewport.width)
        let shownHeight = min(view.height, viewport.height)
        // Centre a grid smaller than the viewport.
        let left = viewport.x + (viewport.width - shownWidth) / 2
        let top = viewport.y + (viewport.height - shownHeight) / 2
        for row in 0 ..< shownHeight {
            for column in 0 ..< shownWidth {
                let cell = view[start.x + column, start.y + row]
                var style = TextStyle(Paint(cell.role))
                if case .playerHead = cell.role { style.bold = true }
                // Your own piece in reverse video: it stands out in colour, without colour, and in ASCII.
                let own = localSlot != nil && cell.owner == localSlot
                style.reverse = own
                var glyph = buffer.asciiOnly || TextWidth.columns(cell.glyph) != 1 ? cell.asciiGlyph : cell.glyph
                if own, buffer.asciiOnly, let ownGlyph = cell.ownAsciiGlyph { glyph = ownGlyph }
                buffer.put(glyph, x: left + column, y: top + row, style: style)
            }
        }
        // Mark clipped edges so a partial view is never mistaken for the whole board.
        let clip = TextStyle(.warning, bold: true)
        if start.x > 0 { buffer.put("<", x: left, y: top + shownHeight / 2, style: clip) }
        if start.x + shownWidth < view.width { buffer.put(">", x: left + shownWidth - 1, y: top + shownHeight / 2, style: clip) }
        if start.y > 0 { buffer.put("^", x: left + shownWidth / 2, y: top, style: clip) }
        if start.y + shownHeight < view.height { buffer.put("v", x: left + shownWidth / 2, y: top + shownHeight - 1, style: clip) }
    }

    /// Where `slot`'s head is, if it is on the board.
    static func head(of slot: PlayerSlot, in view: GameView) -> (x: Int, y: Int)? {
        for index in view.cells.indices where view.cells[index].role == .playerHead(slot) {
            return (index % view.width, index / view.width)
        }
        return nil
    }
}

/// The scoreboard box: place, colour swatch, name, score, status.
enum ScoreboardView {
    static func draw(_ lines: [ScoreLine], localSlot: PlayerSlot?, rect: Rect, into buffer: inout CellBuffer) {
        buffer.box(rect, title: "Scores")
        let inner = rect.inner
        for (index, line) in lines.enumerated() where index < inner.height {
            let y = inner.y + index
            let mine = line.slot == localSlot
            buffer.write("\(index + 1)", x: inner.x, y: y, style: TextStyle(.muted))
            // The swatch is no map glyph ("#" is a wall), and yours is reversed like your piece.
            buffer.put(buffer.asciiOnly ? "=" : "■", x: inner.x + 2, y: y, style: TextStyle(.player(line.slot.index, head: true), bold: true, reverse: mine))
            buffer.write(pad(line.name, 9), x: inner.x + 4, y: y, style: TextStyle(.text, bold: mine))
            let score = "\(line.score)"
            buffer.write(score, x: inner.x + 16 - score.count, y: y, style: TextStyle(.text, bold: true))
            buffer.write(line.status, x: inner.x + 17, y: y, style: TextStyle(line.status == "alive" ? .good : .muted), maxColumns: inner.maxX - inner.x - 17)
        }
    }
}
