import MeshplayCore
import Netplay

/// The lobby: the rooms found on the network, and a key to create one of one's own.
public struct LobbyScreen: Hashable, Sendable {
    /// What a key asks the app to do.
    public enum Action: Hashable, Sendable {
        case create
        /// Join this network room (its name and password are settled).
        case joinNetwork(NetworkJoinChoice)
        /// Watch this running network room's match.
        case watchNetwork(NetworkJoinChoice)
        case quit
    }

    /// Rooms found on the network (see ``RoomDirectory``).
    public private(set) var networkRooms: [RoomListing] = []
    /// The row selected.
    public var selected = 0
    /// Where the lobby looked for network rooms, shown under the list.
    public var networkNote = "Network: not looking (local play only)."
    /// The password given with `--password`: used instead of asking.
    public var presetPassword: String?
    /// The question being asked before a network join, if any.
    public private(set) var prompt: LobbyPrompt?

    public init() {}

    /// Every row's count.
    var rowCount: Int { networkRooms.count }

    /// Takes a new round of network rooms, keeping the selection on the same room when it is still listed.
    public mutating func showNetwork(_ directory: RoomDirectory) {
        let selectedAddress = selectedNetworkRoom?.address
        networkRooms = directory.rooms
        networkNote = directory.note
        if let selectedAddress, let index = networkRooms.firstIndex(where: { $0.address == selectedAddress }) {
            selected = index
        }
        selected = min(selected, max(0, rowCount - 1))
    }

    /// The network room under the selection, if the selection is on one.
    var selectedNetworkRoom: RoomListing? {
        networkRooms.indices.contains(selected) ? networkRooms[selected] : nil
    }

    /// Applies one key; returns what it asks of the app, if anything.
    public mutating func handle(_ key: Key) -> Action? {
        if prompt != nil { return handlePrompt(key) }
        switch key {
        case .up, .character("k"):
            selected = max(0, selected - 1)
        case .down, .character("j"):
            selected = min(max(0, rowCount - 1), selected + 1)
        case .character("c"), .character("n"):
            return .create
        case .enter:
            // On an empty list Enter does nothing: the list fills within seconds, and a second
            // Enter must not create a room by accident (c creates).
            if let room = selectedNetworkRoom { return choose(room) }
        case .character("w"):
            // Only a running, unlocked room's match can be watched; its host feeds it.
            if let room = selectedNetworkRoom, room.running, room.locked != true, let name = room.joinTarget ?? room.name {
                let mesh = room.resolver.map { PlayerNodeRequest.Mesh.search(resolvers: [$0], lan: false) }
                return .watchNetwork(NetworkJoinChoice(room: name, address: room.address, password: nil, mesh: mesh))
            }
        case .character("q"):
            return .quit
        default:
            break
        }
        return nil
    }

    /// Whether the prompt has the keyboard (then `?` and `q` are text).
    var isTyping: Bool { prompt != nil }

    /// Enter on a network room: join at once, or ask first what is missing.
    private mutating func choose(_ room: RoomListing) -> Action? {
        // A row a resolver answered with is joined through it: introduced to the room's members
        // (one behind a NAT punches toward the joiner) and relayed when no direct path answers.
        let mesh = room.resolver.map { PlayerNodeRequest.Mesh.search(resolvers: [$0], lan: false) }
        guard let name = room.name else {
            prompt = LobbyPrompt(question: .roomName, choice: NetworkJoinChoice(room: "", address: room.address, password: presetPassword, mesh: mesh))
            return nil
        }
        // The row's id goes with the join (`NAME#ID`): of two rooms with one name, exactly the one chosen.
        let choice = NetworkJoinChoice(room: room.joinTarget ?? name, address: room.address, password: presetPassword, mesh: mesh)
        if room.locked == true, presetPassword == nil {
            prompt = LobbyPrompt(question: .password(optional: false), choice: choice)
            return nil
        }
        return .joinNetwork(choice)
    }

    private mutating func handlePrompt(_ key: Key) -> Action? {
        guard var asking = prompt else { return nil }
        switch asking.editor.handle(key) {
        case .submitted(let text):
            switch asking.question {
            case .roomName:
                let name = ChatText.forDisplay(text, maxCharacters: 32)
                guard !name.isEmpty else {
                    prompt = asking
                    return nil
                }
                asking.choice.room = name
                if presetPassword == nil {
                    prompt = LobbyPrompt(question: .password(optional: true), choice: asking.choice)
                    return nil
                }
            case .password(let optional):
                if text.isEmpty, !optional {
                    prompt = asking
                    return nil
                }
                asking.choice.password = text.isEmpty ? nil : text
            }
            prompt = nil
            return .joinNetwork(asking.choice)
        case .cancelled:
            prompt = nil
        case .editing, .ignored:
            prompt = asking
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
        let header = columns("Room", "Game", "Map", "Players", "Ping", "Lock", "")
        buffer.write(header, x: inner.x + 1, y: inner.y, style: TextStyle(.muted, bold: true), maxColumns: inner.width - 1)
        if rowCount == 0 {
            buffer.write("No rooms yet. Press c to create one.", x: inner.x + 1, y: inner.y + 2, style: TextStyle(.text), maxColumns: inner.width - 1)
        }
        let lines = networkRooms.map(row)
        // Rows between the header and the two note lines; the selection scrolls into view.
        let visible = max(1, inner.height - 4)
        let first = max(0, min(selected - visible + 1, lines.count - visible))
        for (offset, line) in lines.dropFirst(first).prefix(visible).enumerated() {
            let index = first + offset
            let isSelected = index == selected
            let style = isSelected ? TextStyle(.selection, bold: true, reverse: true) : TextStyle.plain
            buffer.fill(Rect(x: inner.x, y: inner.y + 1 + offset, width: inner.width, height: 1), style: style)
            buffer.write(line, x: inner.x + 1, y: inner.y + 1 + offset, style: style, maxColumns: inner.width - 1)
        }
        if let room = selectedNetworkRoom {
            let path = room.path.map { ", \($0.label)" }
                ?? (room.resolver != nil && room.name != nil && !room.isReached ? ", no path from here: joins through the resolver" : "")
            buffer.write("\(room.title) at \(room.address) (\(room.source)\(path))", x: inner.x + 1, y: inner.maxY - 2,
                         style: TextStyle(.text), maxColumns: inner.width - 1)
        }
        buffer.write(networkNote, x: inner.x + 1, y: inner.maxY - 1, style: TextStyle(.muted), maxColumns: inner.width - 1)
        // A row reached through a punched hole says so in one letter beside its ping: say what it means, when one shows.
        let punched = networkRooms.contains { $0.path == .punched } ? ["P punched"] : []
        HintLine.draw(["c create", "Enter join", "w watch", "arrows select", "? help", "q quit"] + punched, into: &buffer, y: full.height - 1)
        prompt?.draw(into: &buffer)
    }

    private func row(_ room: RoomListing) -> String {
        let players = room.players.map(String.init) ?? "?"
        let capacity = room.capacity.map(String.init) ?? "?"
        let lock = room.locked.map { $0 ? "yes" : "" } ?? "?"
        // The id in a column of its own within the room's: two rooms of one name read as two.
        let title = room.roomID.map { pad(room.name ?? "?", 14) + "#\($0)" } ?? room.name ?? "?"
        var ping = room.pingMilliseconds.map { "\($0) ms" } ?? "?"
        if room.pingMilliseconds != nil, room.path == .punched { ping += " P" }
        return columns(title, room.game ?? "?", room.map ?? "?", "\(players)/\(capacity)", ping, lock, room.running ? "in game" : "")
    }

    private func columns(_ room: String, _ game: String, _ map: String, _ players: String, _ ping: String, _ lock: String, _ state: String) -> String {
        pad(room, 24) + pad(game, 8) + pad(map, 12) + pad(players, 8) + pad(ping, 10) + pad(lock, 6) + state
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
