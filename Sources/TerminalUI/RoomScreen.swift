import Lobby
import MeshTransport
import MeshplayCore
import Netplay

/// A room before its match, local or on the network: its real members (as the player's node
/// sees them: ready, ping, host, bots), its settings, room chat, and the player's ready.
///
/// A local room is one the player hosts on this machine with bot peers; `+` and `-` add and
/// remove bots there. A network room is joined through another node. Until the node is in,
/// the screen says where it is joining (or why it could not).
public struct RoomScreen: Sendable {
    /// What a key asks the app to do.
    public enum Action: Hashable, Sendable {
        case leave
        case quit
        /// A chat line for the room (already sanitised).
        case chat(String)
        /// The player is (or is no longer) ready; a host starts when everyone is.
        case setReady(Bool)
        /// A local room: one bot more, or one fewer.
        case addBot
        case removeBot
    }

    /// Which pane takes typing.
    public enum Focus: Hashable, Sendable { case members, chat }

    /// The room's name as the player asked for it (the real settings come with ``room``).
    public var roomName: String
    /// Where it is: "local" or the address it was joined through.
    public var place: String
    /// Whether the player hosts it here with bots (then bots can be added and removed).
    public let isLocal: Bool
    /// The room as the player's node sees it; nil until the node is in.
    public var room: RoomStatus?
    /// The player's node, once up.
    public var localPeer: PeerID?
    /// Members that are this client's own bots.
    public var botPeers: [PeerID] = []
    /// Bots the player asked for (a local room), whether or not they are in yet.
    public var plannedBots: Int
    /// The most members the room may hold, before its settings arrive.
    public var capacity: Int
    /// Why the room could not be joined or kept, shown where the members would be.
    public var failure: String?
    /// What the player said with `r`.
    public var wantsReady = false
    public var chat = ChatLog()
    public var chatLine = LineEditor()
    public var focus = Focus.members

    /// A room being joined at `place` (or created locally with `plannedBots` bots).
    public init(roomName: String, place: String, isLocal: Bool, plannedBots: Int = 0, capacity: Int) {
        self.roomName = ChatText.forDisplay(roomName, maxCharacters: 32)
        self.place = ChatText.forDisplay(place, maxCharacters: 64)
        self.isLocal = isLocal
        self.plannedBots = plannedBots
        self.capacity = capacity
        if isLocal {
            chat.notice("Room created. Press r when ready; the match starts when everyone is.")
        } else {
            chat.notice("Joining room \(self.roomName) at \(self.place)...")
        }
    }

    /// Members in join order (nil before the node is in).
    public var members: [MemberListEntry] { room?.members ?? [] }

    /// Whether every bot the player asked for has joined (a local room starts only then).
    public var botsAreIn: Bool { !isLocal || members.filter { botPeers.contains($0.member.peer) }.count >= plannedBots }

    /// Takes the node's newest picture of the room.
    public mutating func update(room newRoom: RoomStatus?, localPeer: PeerID?) {
        if room == nil, newRoom != nil, !isLocal { chat.notice("In the room. Press r when ready; the host starts when everyone is.") }
        room = newRoom
        self.localPeer = localPeer
        if newRoom != nil { failure = nil }
        if let settings = newRoom?.settings { capacity = settings.playerCap }
    }

    /// The room could not be joined or was lost: say why, and stop being ready.
    public mutating func failed(_ reason: String) {
        failure = ChatText.forDisplay(reason)
        room = nil
        wantsReady = false
        chat.notice(reason)
    }

    /// The join is tried again after a failure (the player pressed r).
    public mutating func joiningAgain() {
        failure = nil
        chat.notice("Joining room \(roomName) at \(place) again...")
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
        switch key {
        case .character("r"), .character(" "):
            wantsReady.toggle()
            return .setReady(wantsReady)
        case .character("+"), .character("b"):
            guard isLocal else {
                chat.notice("Bots are added by the room's host.")
                return nil
            }
            guard 1 + plannedBots < capacity else {
                chat.notice("The room is full (\(capacity) seats).")
                return nil
            }
            return .addBot
        case .character("-"), .character("x"):
            guard isLocal else {
                chat.notice("Bots are added by the room's host.")
                return nil
            }
            return plannedBots > 0 ? .removeBot : nil
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

    // MARK: Drawing

    /// Draws the screen into `buffer` (laid out for 80x24 and larger).
    public func draw(into buffer: inout CellBuffer) {
        let height = buffer.height
        buffer.write("meshplay", x: 1, y: 0, style: TextStyle(.title, bold: true))
        let title = isLocal ? " - room: \(roomName) (local, with bots)" : " - room: \(roomName) at \(place) (network)"
        buffer.write(title, x: 9, y: 0, style: TextStyle(.muted), maxColumns: buffer.width - 10)

        let leftWidth = 44
        let rows = members
        let cap = room?.settings.playerCap ?? capacity
        let waiting = waitingLine
        let membersRect = Rect(x: 0, y: 1, width: leftWidth, height: min(height - 9, max(cap, rows.count + (waiting == nil ? 0 : 1), 2) + 2))
        buffer.box(membersRect, title: room == nil ? "Members" : "Members \(rows.count)/\(cap)",
                   style: TextStyle(focus == .members ? .title : .muted))
        if room == nil {
            let text = failure ?? (isLocal ? "Starting the room..." : "Joining...")
            buffer.write(text, x: membersRect.x + 2, y: membersRect.y + 1, style: TextStyle(failure == nil ? .muted : .danger, bold: failure != nil),
                         maxColumns: membersRect.width - 3)
        }
        for (index, entry) in rows.enumerated() where index < membersRect.height - 2 {
            drawMember(entry, y: membersRect.y + 1 + index, x: membersRect.x + 2, into: &buffer)
        }
        if let waiting, membersRect.y + 1 + rows.count < membersRect.maxY - 1 {
            buffer.write(waiting, x: membersRect.x + 2, y: membersRect.y + 1 + rows.count, style: TextStyle(.muted), maxColumns: membersRect.width - 3)
        }
        if isLocal, room != nil, !botsAreIn {
            let waiting = plannedBots - members.filter { botPeers.contains($0.member.peer) }.count
            let y = membersRect.y + 1 + rows.count
            if y < membersRect.maxY - 1 {
                buffer.write("\(waiting) bot\(waiting == 1 ? "" : "s") joining...", x: membersRect.x + 2, y: y, style: TextStyle(.muted))
            }
        }

        let settingsRect = Rect(x: 0, y: membersRect.maxY, width: leftWidth, height: 7)
        buffer.box(settingsRect, title: "Settings")
        for (index, line) in settingsLines(width: settingsRect.width - 3).prefix(settingsRect.height - 2).enumerated() {
            buffer.write(line, x: settingsRect.x + 2, y: settingsRect.y + 1 + index, maxColumns: settingsRect.width - 3)
        }
        let chatRect = Rect(x: leftWidth, y: 1, width: buffer.width - leftWidth, height: buffer.height - 2)
        ChatPane.draw(chat: chat, line: chatLine, focused: focus == .chat, rect: chatRect, into: &buffer)
        HintLine.draw(focus == .chat ? ["Enter send", "Esc cancel", "Tab members", "PgUp/PgDn scroll"] : hints, into: &buffer, y: height - 1)
    }

    private func drawMember(_ entry: MemberListEntry, y: Int, x: Int, into buffer: inout CellBuffer) {
        let member = entry.member
        let isYou = member.peer == localPeer
        var name = ChatText.forDisplay(member.name, maxCharacters: 16)
        if isYou { name += " (you)" }
        if botPeers.contains(member.peer) { name += " (bot)" }
        if entry.isHost { name += " *" }
        buffer.write(pad(name, 22), x: x, y: y, style: TextStyle(.text, bold: isYou))
        let (word, paint): (String, Paint) = member.isReady ? ("ready", .good) : ("not ready", .warning)
        buffer.write(word, x: x + 22, y: y, style: TextStyle(paint, bold: true))
        var ping = isYou ? "you" : member.ping.map { "\(Self.milliseconds($0)) ms" } ?? "-"
        // The pane is narrow: a link that is not direct says so in one letter (the hint line says which).
        if let path = member.path, path != .direct { ping += path == .relayed ? " R" : " P" }
        buffer.write(ping, x: x + 33, y: y, style: TextStyle(.muted))
    }

    /// The settings, or why there are none; a failure wraps over the pane's rows (the Members pane has one row for it).
    private func settingsLines(width: Int) -> [String] {
        guard let settings = room?.settings else {
            if let failure { return Self.wrapWords("Not in the room: \(failure)", width: width) }
            return ["Waiting for the room's answer."]
        }
        let seconds = settings.tickRate > 0 ? Int(settings.matchLengthTicks) / settings.tickRate : 0
        return [
            "Game         \(ChatText.forDisplay(settings.game.description, maxCharacters: 28))",
            "Map          \(ChatText.forDisplay(settings.map, maxCharacters: 28))",
            "Match        \(formatDuration(seconds)) (\(settings.matchLengthTicks) ticks)",
            "Tick rate    \(settings.tickRate) Hz",
            isLocal ? "Bots         \(plannedBots)" : "Password     \(settings.hasPassword ? "yes" : "no")     (* host)",
        ]
    }

    /// What the room waits for before its next start, so no wait goes unexplained (nil while
    /// bots are still coming into a local room, which says so itself).
    var waitingLine: String? {
        guard let room, !(isLocal && !botsAreIn) else { return nil }
        let others = room.members.filter { $0.member.peer != localPeer }
        let notReady = others.filter { !$0.member.isReady }.map { ChatText.forDisplay($0.member.name, maxCharacters: 16) }
        let missing = Int(room.settings.playerCap) - room.members.count
        if !wantsReady { return "Press r when you are ready." }
        if !notReady.isEmpty { return "Waiting for \(notReady.joined(separator: ", ")) to be ready." }
        if room.settings.startsWhenFull, missing > 0 { return "Starts when full: waiting for \(missing) more." }
        if others.isEmpty { return "Waiting for another player to join." }
        return "Everyone is ready: starting..."
    }

    private var hints: [String] {
        let ready = wantsReady ? "r not ready" : "r ready"
        let base = isLocal ? [ready, "+ bot", "- bot", "Enter chat", "Esc leave", "? help", "q quit"]
            : [ready, "Enter chat", "Esc leave", "? help", "q quit"]
        // The members pane marks a link that is not direct with a letter: say what it means, when one shows.
        let paths = members.compactMap(\.member.path)
        return base + (paths.contains(LinkPath.punched) ? ["P punched"] : []) + (paths.contains(LinkPath.relayed) ? ["R relayed"] : [])
    }

    /// `text` in rows of at most `width` columns, broken between words (a longer word is cut).
    static func wrapWords(_ text: String, width: Int) -> [String] {
        var rows: [String] = []
        var row = ""
        for word in text.split(separator: " ") {
            let candidate = row.isEmpty ? String(word) : row + " " + word
            if TextWidth.columns(candidate) <= width || row.isEmpty {
                row = candidate
            } else {
                rows.append(row)
                row = String(word)
            }
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    /// Whole milliseconds, rounded up (a 0.3 ms loopback ping shows as 1 ms, not 0).
    static func milliseconds(_ span: TimeSpan) -> Int { Int((span.nanoseconds + 999_999) / 1_000_000) }
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
