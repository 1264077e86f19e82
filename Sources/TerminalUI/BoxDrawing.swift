/// Frames and rules drawn with Unicode box characters, or `+-|` when ASCII only.
/// Box characters rather than curses ACS, which tmux garbles without NCURSES_NO_UTF8_ACS.
extension CellBuffer {
    private var boxGlyphs: (h: Unicode.Scalar, v: Unicode.Scalar, tl: Unicode.Scalar, tr: Unicode.Scalar, bl: Unicode.Scalar, br: Unicode.Scalar) {
        asciiOnly ? ("-", "|", "+", "+", "+", "+") : ("─", "│", "┌", "┐", "└", "┘")
    }

    /// A frame around `rect` with an optional title in its top edge.
    public mutating func box(_ rect: Rect, title: String? = nil, style: TextStyle = TextStyle(.muted), titleStyle: TextStyle = TextStyle(.title, bold: true)) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let glyphs = boxGlyphs
        horizontalRule(x: rect.x + 1, y: rect.y, length: rect.width - 2, style: style)
        horizontalRule(x: rect.x + 1, y: rect.maxY - 1, length: rect.width - 2, style: style)
        for y in rect.y + 1 ..< rect.maxY - 1 {
            put(glyphs.v, x: rect.x, y: y, style: style)
            put(glyphs.v, x: rect.maxX - 1, y: y, style: style)
        }
        put(glyphs.tl, x: rect.x, y: rect.y, style: style)
        put(glyphs.tr, x: rect.maxX - 1, y: rect.y, style: style)
        put(glyphs.bl, x: rect.x, y: rect.maxY - 1, style: style)
        put(glyphs.br, x: rect.maxX - 1, y: rect.maxY - 1, style: style)
        if let title, rect.width > 4 {
            write(" \(title) ", x: rect.x + 2, y: rect.y, style: titleStyle, maxColumns: rect.width - 4)
        }
    }

    /// A horizontal line.
    public mutating func horizontalRule(x: Int, y: Int, length: Int, style: TextStyle = TextStyle(.muted)) {
        guard length > 0 else { return }
        let glyph = boxGlyphs.h
        for column in x ..< x + length { put(glyph, x: column, y: y, style: style) }
    }

    /// A vertical line.
    public mutating func verticalRule(x: Int, y: Int, length: Int, style: TextStyle = TextStyle(.muted)) {
        guard length > 0 else { return }
        let glyph = boxGlyphs.v
        for row in y ..< y + length { put(glyph, x: x, y: row, style: style) }
    }

    /// Text centred on row `y` within `rect`'s columns.
    public mutating func writeCentered(_ text: String, in rect: Rect, y: Int, style: TextStyle = .plain) {
        let columns = min(TextWidth.columns(text), rect.width)
        write(text, x: rect.x + (rect.width - columns) / 2, y: y, style: style, maxColumns: rect.width)
    }
}
