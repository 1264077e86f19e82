/// One screen position: a glyph and how to paint it.
public struct ScreenCell: Hashable, Sendable {
    /// The glyph; for the right half of a wide glyph, `continuation` is set and this is a space.
    public var scalar: Unicode.Scalar
    public var paint: Paint
    /// Drawn bold (headings, heads, the local player).
    public var bold: Bool
    /// Drawn in reverse video (selection, the local player's head on monochrome terminals).
    public var reverse: Bool
    /// The right half of a wide glyph in the cell to its left: the terminal layer skips it.
    public var continuation: Bool

    public init(scalar: Unicode.Scalar, paint: Paint = .text, bold: Bool = false, reverse: Bool = false, continuation: Bool = false) {
        self.scalar = scalar
        self.paint = paint
        self.bold = bold
        self.reverse = reverse
        self.continuation = continuation
    }

    /// A space in the default paint.
    public static let blank = ScreenCell(scalar: " ")
}

/// How text is drawn: paint plus attributes.
public struct TextStyle: Hashable, Sendable {
    public var paint: Paint
    public var bold: Bool
    public var reverse: Bool

    public init(_ paint: Paint = .text, bold: Bool = false, reverse: Bool = false) {
        self.paint = paint
        self.bold = bold
        self.reverse = reverse
    }

    public static let plain = TextStyle()
}

/// An in-memory screen: every screen draws here, tests read it, and the terminal
/// layer copies only the cells that changed since the last frame.
public struct CellBuffer: Hashable, Sendable {
    public let width: Int
    public let height: Int
    /// Row-major, `width * height` cells.
    public private(set) var cells: [ScreenCell]
    /// Draw ASCII only (`--ascii`): screens pick ASCII fallbacks, and `write` shows any
    /// other scalar as `?` so nothing the terminal cannot show reaches it.
    public var asciiOnly: Bool

    public init(width: Int, height: Int, asciiOnly: Bool = false) {
        self.asciiOnly = asciiOnly
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at column `x`, row `y`; writes outside the buffer are ignored.
    public subscript(x: Int, y: Int) -> ScreenCell {
        get { cells[y * width + x] }
        set {
            guard contains(x: x, y: y) else { return }
            cells[y * width + x] = newValue
        }
    }

    /// Whether (x, y) is inside the buffer.
    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Blanks every cell.
    public mutating func clear() {
        for index in cells.indices { cells[index] = .blank }
    }

    /// Puts one single-column glyph; off-screen positions are ignored (clipping).
    public mutating func put(_ scalar: Unicode.Scalar, x: Int, y: Int, style: TextStyle = .plain) {
        self[x, y] = ScreenCell(scalar: scalar, paint: style.paint, bold: style.bold, reverse: style.reverse)
    }

    /// Writes `text` from (x, y) on one row, at most `maxColumns` columns (default: to the
    /// right edge). Control characters and zero-width scalars are skipped, wide glyphs take
    /// two cells, and a wide glyph that would straddle the limit is left out.
    /// Returns the column after the last one written.
    @discardableResult
    public mutating func write(_ text: String, x: Int, y: Int, style: TextStyle = .plain, maxColumns: Int? = nil) -> Int {
        let limit = x + (maxColumns ?? (width - x))
        var column = x
        for original in text.unicodeScalars {
            var scalar = original
            var columns = TextWidth.columns(scalar)
            if columns == 0 { continue }
            if asciiOnly && !scalar.isASCII {
                scalar = "?"
                columns = 1
            }
            if column + columns > limit { break }
            put(scalar, x: column, y: y, style: style)
            if columns == 2 {
                self[column + 1, y] = ScreenCell(scalar: " ", paint: style.paint, bold: style.bold, reverse: style.reverse, continuation: true)
            }
            column += columns
        }
        return column
    }

    /// Fills a rectangle with one glyph and style.
    public mutating func fill(_ rect: Rect, with scalar: Unicode.Scalar = " ", style: TextStyle = .plain) {
        for y in rect.y ..< rect.y + rect.height {
            for x in rect.x ..< rect.x + rect.width { put(scalar, x: x, y: y, style: style) }
        }
    }

    /// The text of row `y`, trailing spaces kept, wide-glyph halves dropped: what tests read.
    public func row(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        var line = String.UnicodeScalarView()
        for x in 0 ..< width where !self[x, y].continuation { line.append(self[x, y].scalar) }
        return String(line)
    }

    /// Every row joined by newlines, trailing spaces trimmed: a readable snapshot.
    public var text: String {
        (0 ..< height).map { row($0).trimmingTrailingSpaces }.joined(separator: "\n")
    }

    /// Whether any row contains `needle`.
    public func contains(_ needle: String) -> Bool { find(needle) != nil }

    /// The position of the first occurrence of `needle`, as (cell column, row).
    public func find(_ needle: String) -> (x: Int, y: Int)? {
        let pattern = Array(needle.unicodeScalars)
        guard !pattern.isEmpty, pattern.count <= width else { return nil }
        for y in 0 ..< height {
            for x in 0 ... width - pattern.count {
                var matched = true
                for offset in pattern.indices where self[x + offset, y].scalar != pattern[offset] {
                    matched = false
                    break
                }
                if matched { return (x, y) }
            }
        }
        return nil
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var scalars = unicodeScalars
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }
}
