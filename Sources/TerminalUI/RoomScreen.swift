import MeshplayCore
/// Someone in a room.
public struct RoomMember: Hashable, Sendable {
    public var name: String
    public var isBot: Bool
    public var isLocalPlayer: Bool
    public var ready: Bool
    /// Round trip; nil for members in this process.
    public var pingMilliseconds: Int?

    public init(name: String, isBot: Bool, isLocalPlayer: Bool, ready: Bool, pingMilliseconds: Int?) {
        self.name = name
        self.isBot = isBot
        self.isLocalPlayer = isLocalPlayer
        self.ready = ready
        self.pingMilliseconds = pingMilliseconds
    }
}

/// A room before its match: members and their ready state, settings, chat.
/// Bots are always ready; the match starts once every member is.
public struct RoomScreen: Hashable, Sendable {
    /// What a key asks the app to do.
    public enum Action: Hashable, Sendable {
        /// Everyone is ready: start with these settings and members (in slot order).
        case start(RoomSettings, [RoomMember])
        case leave
        case quit
        /// A chat line for the room (already sanitised).
        case chat(String)
        /// A network room: the player is (or is no longer) ready.
        case setReady(Bool)
    }

    /// Which pane takes typing.
    public enum Focus: Hashable, Sendable { case members, chat }

    public var settings: RoomSettings
    public var members: [RoomMember]
    /// Seats on the chosen map.
    public var capacity: Int
    public var gameName: String
    public var chat = ChatLog()
    public var chatLine = LineEditor()
    public var focus = Focus.members
    /// Set when the screen stands for a room on the network (see RoomScreen+Network.swift).
    public var network: NetworkRoomState?

    /// A local room: the player first, then `settings.bots` bots.
    public init(gameName: String, settings: RoomSettings, playerName: String, capacity: Int) {
        self.gameName = gameName
        self.settings = settings
        self.capacity = capacity
        members = [RoomMember(name: playerName, isBot: false, isLocalPlayer: true, ready: false, pingMilliseconds: nil)]
        for _ in 0 ..< min(settings.bots, max(0, capacity - 1)) { addBot() }
        chat.notice("Room created. Press r when ready; the match starts when everyone is.")
    }

    public var summary: RoomSummary {
        RoomSummary(game: gameName, map: settings.mapName, players: members.count, capacity: capacity,
                    pingMilliseconds: nil, locked: false, isLocal: true)
    }

    /// Applies one key; returns what it asks of the app, if anything.
    public mutating func handle(_ key: Key) -> Action? {
        if focus == .chat {
            switch key {
            case .tab, .backTab:
                focus = .members
                return nil
            case .pageUp: chat.scrollUp(5); return nil
            case .pageDown: chat.scrollDown(5); return nil
            default: break
            }
            switch chatLine.handle(key) {
            case .submitted(let text):
                focus = .members
                let clean = ChatText.forDisplay(text)
                return clean.isEmpty ? nil : .chat(clean)
            case .cancelled:
                focus = .members
            case .editing, .ignored:
                break
            }
            return nil
        }
        if network != nil, let handled = handleNetwork(key) { return handled }
        switch key {
        case .character("r"), .character(" "):
            return toggleReady()
        case .character("+"), .character("b"):
            if members.count < capacity { addBot() } else { chat.notice("The room is full (\(capacity) seats).") }
        case .character("-"), .character("x"):
            removeBot()
        case .enter, .tab:
            focus = .chat
        case .pageUp: chat.scrollUp(5)
        case .pageDown: chat.scrollDown(5)
        case .escape:
            return .leave
        case .character("q"):
            return .quit
        default:
            break
        }
        return nil
    }

    /// A line someone said in the room.
    public mutating func received(chat text: String, from name: String) { chat.add(author: name, text: text) }

    private mutating func toggleReady() -> Action? {
        guard let me = members.firstIndex(where: \.isLocalPlayer) else { return nil }
        members[me].ready.toggle()
        if members.allSatisfy(\.ready) {
            members[me].ready = false
            return .start(settings, members)
        }
        return nil
    }

    private mutating func addBot() {
        var number = 1
        while members.contains(where: { $0.name == "bot\(number)" }) { number += 1 }
        members.append(RoomMember(name: "bot\(number)", isBot: true, isLocalPlayer: false, ready: true, pingMilliseconds: nil))
        settings.bots = members.filter(\.isBot).count
    }

    private mutating func removeBot() {
        guard let last = members.lastIndex(where: \.isBot) else { return }
        members.remove(at: last)
        settings.bots = members.filter(\.isBot).count
    }

    /// Draws the screen into `buffer` (laid out for 80x24 and larger).
    public func draw(into buffer: inout CellBuffer) {
        if let network {
            drawNetwork(network, into: &buffer)
            return
        }
        let height = buffer.height
        buffer.write("meshplay", x: 1, y: 0, style: TextStyle(.title, bold: true))
        buffer.write(" - room: \(gameName) on \(settings.mapName) (local)", x: 9, y: 0, style: TextStyle(.muted))

        let leftWidth = 44
        let membersRect = Rect(x: 0, y: 1, width: leftWidth, height: min(height - 9, capacity + 3))
        buffer.box(membersRect, title: "Members \(members.count)/\(capacity)", style: TextStyle(focus == .members ? .title : .muted))
        for (index, member) in members.enumerated() where index < membersRect.height - 2 {
            let y = membersRect.y + 1 + index
            var name = member.name
            if member.isLocalPlayer { name += " (you)" }
            if member.isBot { name += " (bot)" }
            buffer.write(pad(name, 22), x: membersRect.x + 2, y: y, style: TextStyle(.text, bold: member.isLocalPlayer))
            buffer.write(member.ready ? "ready" : "not ready", x: membersRect.x + 24, y: y,
                         style: TextStyle(member.ready ? .good : .warning, bold: true))
            buffer.write(member.pingMilliseconds.map { "\($0) ms" } ?? "local", x: membersRect.x + 35, y: y, style: TextStyle(.muted))
        }

        let settingsRect = Rect(x: 0, y: membersRect.maxY, width: leftWidth, height: 6)
        buffer.box(settingsRect, title: "Settings")
        let lines = [
            "Map          \(settings.mapName)",
            "Match        \(formatDuration(settings.matchSeconds)) (\(settings.matchTicks) ticks)",
            "Tick rate    \(settings.tickRate) Hz",
            "Bots         \(settings.bots)",
        ]
        drawSettingsChatAndHints(lines, in: settingsRect, leftWidth: leftWidth,
                                 hints: ["r ready", "+ bot", "- bot", "Enter chat", "Esc leave", "? help", "q quit"], into: &buffer)
    }

    /// The settings lines, the chat pane beside them and the hint line: the same in local and network rooms.
    func drawSettingsChatAndHints(_ lines: [String], in settingsRect: Rect, leftWidth: Int, hints: [String], into buffer: inout CellBuffer) {
        for (index, line) in lines.enumerated() {
            buffer.write(line, x: settingsRect.x + 2, y: settingsRect.y + 1 + index, maxColumns: settingsRect.width - 3)
        }
        let chatRect = Rect(x: leftWidth, y: 1, width: buffer.width - leftWidth, height: buffer.height - 2)
        ChatPane.draw(chat: chat, line: chatLine, focused: focus == .chat, rect: chatRect, into: &buffer)
        HintLine.draw(focus == .chat ? ["Enter send", "Esc cancel", "Tab members", "PgUp/PgDn scroll"] : hints,
                      into: &buffer, y: buffer.height - 1)
    }
}

/// A framed chat pane with its input line at the bottom.
enum ChatPane {
    static func draw(chat: ChatLog, line: LineEditor, focused: Bool, rect: Rect, into buffer: inout CellBuffer) {
        buffer.box(rect, title: "Chat", style: TextStyle(focused ? .title : .muted))
        let inner = rect.inner
        guard inner.height >= 2 else { return }
        chat.draw(into: &buffer, rect: Rect(x: inner.x, y: inner.y, width: inner.width, height: inner.height - 1))
        let inputY = inner.maxY - 1
        if focused {
            let prompt = "> "
            let visible = String(line.text.suffix(max(1, inner.width - 4)))
            var x = buffer.write(prompt, x: inner.x, y: inputY, style: TextStyle(.title, bold: true))
            x = buffer.write(visible, x: x, y: inputY, maxColumns: inner.maxX - x)
            buffer.put("_", x: x, y: inputY, style: TextStyle(.selection, bold: true))
        } else {
            buffer.write("Enter to chat", x: inner.x, y: inputY, style: TextStyle(.muted), maxColumns: inner.width)
        }
    }
}
