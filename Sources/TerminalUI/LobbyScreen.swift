/// One room as the lobby lists it.
public struct RoomSummary: Hashable, Sendable {
    public var game: String
    public var map: String
    public var players: Int
    public var capacity: Int
    /// Round trip to the room's host; nil for a room in this process.
    public var pingMilliseconds: Int?
    /// Needs a password.
    public var locked: Bool
    /// A room in this process (against bots), as opposed to one on the mesh.
    public var isLocal: Bool

    public init(game: String, map: String, players: Int, capacity: Int, pingMilliseconds: Int?, locked: Bool, isLocal: Bool) {
        self.game = game
        self.map = map
        self.players = players
        self.capacity = capacity
        self.pingMilliseconds = pingMilliseconds
        self.locked = locked
        self.isLocal = isLocal
    }
}

/// The lobby: the rooms one can join, and a key to create one.
public struct LobbyScreen: Hashable, Sendable {
    /// What a key asks the app to do.
    public enum Action: Hashable, Sendable {
        case create
        case join(Int)
        case quit
    }

    public var rooms: [RoomSummary] = []
    public var selected = 0
    /// Why there are no network rooms, shown under the list.
    public var networkNote = "Network rooms: not available in this build yet (local play against bots)."

    public init() {}

    /// Applies one key; returns what it asks of the app, if anything.
    public mutating func handle(_ key: Key) -> Action? {
        switch key {
        case .up, .character("k"):
            selected = max(0, selected - 1)
        case .down, .character("j"):
            selected = min(max(0, rooms.count - 1), selected + 1)
        case .character("c"), .character("n"):
            return .create
        case .enter:
            return rooms.indices.contains(selected) ? .join(selected) : .create
        case .character("q"):
            return .quit
        default:
            break
        }
        return nil
    }

    /// Draws the screen into `buffer` (laid out for 80x24 and larger).
    public func draw(into buffer: inout CellBuffer) {
        let full = Rect(x: 0, y: 0, width: buffer.width, height: buffer.height)
        buffer.write("meshplay", x: 1, y: 0, style: TextStyle(.title, bold: true))
        buffer.write(" - lobby", x: 9, y: 0, style: TextStyle(.muted))
        let list = Rect(x: 0, y: 1, width: full.width, height: full.height - 3)
        buffer.box(list, title: "Rooms")
        let inner = list.inner
        let header = columns("Game", "Map", "Players", "Ping", "Lock")
        buffer.write(header, x: inner.x + 1, y: inner.y, style: TextStyle(.muted, bold: true), maxColumns: inner.width - 1)
        if rooms.isEmpty {
            buffer.write("No rooms yet. Press c to create one.", x: inner.x + 1, y: inner.y + 2, style: TextStyle(.text), maxColumns: inner.width - 1)
        }
        for (index, room) in rooms.enumerated() where index < inner.height - 3 {
            let ping = room.isLocal ? "local" : room.pingMilliseconds.map { "\($0) ms" } ?? "?"
            let line = columns(room.game, room.map, "\(room.players)/\(room.capacity)", ping, room.locked ? "yes" : "")
            let isSelected = index == selected
            let style = isSelected ? TextStyle(.selection, bold: true, reverse: true) : TextStyle.plain
            buffer.fill(Rect(x: inner.x, y: inner.y + 1 + index, width: inner.width, height: 1), style: style)
            buffer.write(line, x: inner.x + 1, y: inner.y + 1 + index, style: style, maxColumns: inner.width - 1)
        }
        buffer.write(networkNote, x: inner.x + 1, y: inner.maxY - 1, style: TextStyle(.muted), maxColumns: inner.width - 1)
        HintLine.draw(["c create", "Enter join", "arrows select", "? help", "q quit"], into: &buffer, y: full.height - 1)
    }

    private func columns(_ game: String, _ map: String, _ players: String, _ ping: String, _ lock: String) -> String {
        pad(game, 10) + pad(map, 22) + pad(players, 10) + pad(ping, 10) + lock
    }
}

/// Pads or cuts `text` to exactly `width` columns.
func pad(_ text: String, _ width: Int) -> String {
    var result = ""
    var used = 0
    for character in text {
        let size = TextWidth.columns(String(character))
        if used + size > width - 1 { break }
        result.append(character)
        used += size
    }
    return result + String(repeating: " ", count: max(0, width - used))
}

/// The key hints along the bottom row.
enum HintLine {
    static func draw(_ hints: [String], into buffer: inout CellBuffer, y: Int) {
        var x = 1
        for hint in hints {
            let parts = hint.split(separator: " ", maxSplits: 1).map(String.init)
            let next = buffer.write(parts[0], x: x, y: y, style: TextStyle(.title, bold: true))
            x = buffer.write(" " + (parts.count > 1 ? parts[1] : ""), x: next, y: y, style: TextStyle(.muted)) + 2
            if x >= buffer.width { break }
        }
    }
}
