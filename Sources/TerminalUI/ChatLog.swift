import MeshplayCore
/// One line in a chat pane.
public struct ChatPaneLine: Hashable, Sendable {
    /// Who said it; nil for a system notice ("bot2 joined").
    public var author: String?
    /// Already sanitised text.
    public var text: String

    public init(author: String?, text: String) {
        self.author = author
        self.text = text
    }
}

/// The lines of a chat pane, newest last, with a scroll position for PgUp/PgDn.
public struct ChatLog: Hashable, Sendable {
    /// The most lines kept; older ones are dropped.
    public static let capacity = 500

    public private(set) var lines: [ChatPaneLine] = []
    /// How many lines up from the newest the pane is scrolled (0: following new lines).
    public private(set) var scrollBack = 0

    public init() {}

    /// Adds a line said by `author`, sanitising both name and text; empty lines are dropped.
    public mutating func add(author: String?, text: String) {
        let clean = ChatText.forDisplay(text)
        guard !clean.isEmpty else { return }
        lines.append(ChatPaneLine(author: author.map { ChatText.forDisplay($0, maxCharacters: 24) }, text: clean))
        if lines.count > Self.capacity { lines.removeFirst(lines.count - Self.capacity) }
        // Someone reading history keeps their place; new lines push it up by one.
        if scrollBack > 0 { scrollBack = min(scrollBack + 1, lines.count - 1) }
    }

    /// A notice from the client itself.
    public mutating func notice(_ text: String) { add(author: nil, text: text) }

    /// Scrolls towards older lines by `count` (PgUp).
    public mutating func scrollUp(_ count: Int) { scrollBack = min(scrollBack + count, max(0, lines.count - 1)) }

    /// Scrolls towards newer lines by `count` (PgDn).
    public mutating func scrollDown(_ count: Int) { scrollBack = max(0, scrollBack - count) }

    /// Draws the newest lines that fit in `rect` (wrapped), ending at the scroll position.
    public func draw(into buffer: inout CellBuffer, rect: Rect) {
        guard rect.width > 0, rect.height > 0 else { return }
        let visible = lines.prefix(lines.count - scrollBack)
        var rows: [(String, TextStyle, String, TextStyle)] = []
        for line in visible.suffix(rect.height).reversed() {
            let wrapped = Self.wrap(line, width: rect.width)
            rows.insert(contentsOf: wrapped, at: 0)
            if rows.count >= rect.height { break }
        }
        for (index, row) in rows.suffix(rect.height).enumerated() {
            let next = buffer.write(row.0, x: rect.x, y: rect.y + index, style: row.1, maxColumns: rect.width)
            buffer.write(row.2, x: next, y: rect.y + index, style: row.3, maxColumns: rect.maxX - next)
        }
        if scrollBack > 0, rect.width > 12 {
            buffer.write("[\(scrollBack) newer]", x: rect.maxX - 10, y: rect.maxY - 1, style: TextStyle(.warning, bold: true), maxColumns: 10)
        }
    }

    /// Splits a line into screen rows: (prefix, prefix style, text, text style).
    private static func wrap(_ line: ChatPaneLine, width: Int) -> [(String, TextStyle, String, TextStyle)] {
        let prefix = line.author.map { "\($0): " } ?? "* "
        let prefixStyle = line.author == nil ? TextStyle(.muted) : TextStyle(.title, bold: true)
        let textStyle = line.author == nil ? TextStyle(.muted) : TextStyle.plain
        var rows: [(String, TextStyle, String, TextStyle)] = []
        var remaining = Array(line.text)[...]
        var first = true
        repeat {
            let lead = first ? prefix : "  "
            let room = max(1, width - TextWidth.columns(lead))
            var taken = ""
            var columns = 0
            while let next = remaining.first {
                let size = TextWidth.columns(String(next))
                if columns + size > room { break }
                taken.append(next)
                columns += size
                remaining.removeFirst()
            }
            if taken.isEmpty, let next = remaining.popFirst() { taken.append(next) }
            // Break at the last space when a word would be cut; a word longer than the
            // row is cut where it must be.
            if let next = remaining.first, next != " ", let space = taken.lastIndex(of: " "), space > taken.startIndex {
                let carried = taken[taken.index(after: space)...]
                remaining = (Array(carried) + remaining)[...]
                taken = String(taken[..<space])
            }
            while remaining.first == " " { remaining.removeFirst() }
            rows.append((lead, first ? prefixStyle : textStyle, taken, textStyle))
            first = false
        } while !remaining.isEmpty
        return rows
    }
}
