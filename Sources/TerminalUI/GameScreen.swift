import MeshplayCore
import Netplay

/// The match screen: board, scoreboard, chat, the stall indicator and the status line.
public struct GameScreen: Sendable {
    /// What a key asks the app to do.
    public enum Action: Hashable, Sendable {
        case steer(PlayerInput)
        case chat(String)
        /// Leave the match and quit (confirmed).
        case quit
    }

    /// Which pane takes typing.
    public enum Focus: Hashable, Sendable { case board, chat }

    public var title: String
    public var localSlot: PlayerSlot
    public var view: GameView
    public var status: MatchStatus
    /// Every other player's link.
    public var links: [LinkStatus]
    /// How this game is steered (its key bindings and help lines).
    public let controls: GameControls
    public var chat = ChatLog()
    public var chatLine = LineEditor()
    public var focus = Focus.board
    /// "Quit the match? y/n" is showing.
    public var confirmingQuit = false
    /// The last place the local head was seen, so the window stays put while it respawns.
    public private(set) var lastHead: (x: Int, y: Int)?

    public init(title: String, view: GameView, status: MatchStatus, links: [LinkStatus], controls: GameControls) {
        self.title = title
        localSlot = status.localSlot
        self.view = view
        self.status = status
        self.links = links
        self.controls = controls
        lastHead = BoardView.head(of: localSlot, in: view)
    }

    /// A new picture and status from the player's node.
    public mutating func update(view: GameView, status: MatchStatus, links: [LinkStatus]) {
        self.view = view
        self.status = status
        self.links = links
        if let head = BoardView.head(of: localSlot, in: view) { lastHead = head }
    }

    /// The input `key` plays in this game, if any; `typing`: only arrow keys (letters are chat text then).
    func input(for key: Key, typing: Bool) -> PlayerInput? {
        let control: ControlKey
        switch key {
        case .up: control = .up
        case .down: control = .down
        case .left: control = .left
        case .right: control = .right
        case .character(" ") where !typing: control = .space
        case .character(let character) where !typing: control = .character(character)
        default: return nil
        }
        return controls.input(for: control)
    }

    /// Applies one key; returns what it asks of the app, if anything.
    public mutating func handle(_ key: Key) -> Action? {
        if confirmingQuit {
            switch key {
            case .character("y"), .character("Y"): return .quit
            case .character("n"), .character("N"), .escape: confirmingQuit = false
            default: break
            }
            return nil
        }
        switch key {
        case .pageUp: chat.scrollUp(5); return nil
        case .pageDown: chat.scrollDown(5); return nil
        case .tab, .backTab:
            focus = focus == .board ? .chat : .board
            return nil
        default: break
        }
        if focus == .chat {
            // Arrows keep steering while typing; letters are text.
            if let input = input(for: key, typing: true) { return .steer(input) }
            switch chatLine.handle(key) {
            case .submitted(let text):
                focus = .board
                let clean = ChatText.forDisplay(text)
                return clean.isEmpty ? nil : .chat(clean)
            case .cancelled:
                focus = .board
            case .editing, .ignored:
                break
            }
            return nil
        }
        if let input = input(for: key, typing: false) { return .steer(input) }
        switch key {
        case .enter: focus = .chat
        case .character("q"), .escape: confirmingQuit = true
        default: break
        }
        return nil
    }

    /// The sidebar's width at any size.
    static let sidebarWidth = 27

    /// Draws the screen into `buffer` (laid out for 80x24 and larger).
    public func draw(into buffer: inout CellBuffer) {
        let width = buffer.width
        let height = buffer.height
        let sidebarX = width - Self.sidebarWidth
        buffer.write("meshplay", x: 1, y: 0, style: TextStyle(.title, bold: true))
        buffer.write(" - \(title) - \(view.status)", x: 9, y: 0, style: TextStyle(.muted), maxColumns: sidebarX - 10)

        let board = Rect(x: 0, y: 1, width: sidebarX - 1, height: height - 3)
        BoardView.draw(view, in: board, focus: lastHead, localSlot: localSlot, into: &buffer)
        buffer.verticalRule(x: sidebarX - 1, y: 1, length: height - 3)

        let scoreHeight = min(view.scoreboard.count, max(4, (height - 3) / 2 - 2)) + 2
        ScoreboardView.draw(view.scoreboard, localSlot: localSlot,
                            rect: Rect(x: sidebarX, y: 1, width: Self.sidebarWidth, height: scoreHeight), into: &buffer)
        let chatRect = Rect(x: sidebarX, y: 1 + scoreHeight, width: Self.sidebarWidth, height: height - 3 - scoreHeight)
        ChatPane.draw(chat: chat, line: chatLine, focused: focus == .chat, rect: chatRect, into: &buffer)

        drawNoticeRow(into: &buffer, y: height - 2)
        StatusLine.draw(status, links: links, into: &buffer, y: height - 1)
    }

    /// The quit question, the stall indicator, or key hints, in that order of importance.
    private func drawNoticeRow(into buffer: inout CellBuffer, y: Int) {
        if confirmingQuit {
            buffer.fill(Rect(x: 0, y: y, width: buffer.width, height: 1), style: TextStyle(.warning, reverse: true))
            buffer.write(" Leave the match and quit? y / n ", x: 1, y: y, style: TextStyle(.warning, bold: true, reverse: true))
        } else if !status.waitingFor.isEmpty {
            let milliseconds = Int(status.stalledFor.milliseconds)
            let seconds = milliseconds / 1000
            let tenths = milliseconds / 100 % 10
            let names = status.waitingFor.map { slot in
                ChatText.forDisplay(status.players.indices.contains(slot.index) ? status.players[slot.index].name : "\(slot)", maxCharacters: 16)
            }
            let text = " STALLED: waiting for \(names.joined(separator: ", ")) (\(seconds).\(tenths) s) "
            buffer.fill(Rect(x: 0, y: y, width: buffer.width, height: 1), style: TextStyle(.danger, reverse: true))
            buffer.write(text, x: 1, y: y, style: TextStyle(.danger, bold: true, reverse: true))
        } else if focus == .chat {
            HintLine.draw(["Enter send", "Esc cancel", "arrows steer", "Tab board"], into: &buffer, y: y)
        } else {
            let play = controls.helpLines.first.map { "\($0.keys) \($0.action)" } ?? "arrows play"
            HintLine.draw([play, "Enter chat", "PgUp/PgDn chat", "? help", "q quit"], into: &buffer, y: y)
        }
    }
}

/// The bottom row: tick, rate, input delay, and each other player's ping, loss and path when not
/// direct (punched, relayed), or that they left.
enum StatusLine {
    static func text(_ status: MatchStatus, links: [LinkStatus]) -> String {
        var parts = ["tick \(status.tick)", "\(status.tickRate) Hz", "delay \(status.inputDelay)"]
        for link in links {
            let name = ChatText.forDisplay(link.name, maxCharacters: 16)
            // A dropped player's link is gone: "?ms" would read as a ping not measured yet.
            if status.dropped.contains(link.slot.index) {
                parts.append("\(name) left")
                continue
            }
            let ping = link.roundTrip.map { "\(RoomScreen.milliseconds($0))ms" } ?? "?ms"
            // Direct is the usual case and goes unsaid; a punched or relayed link says so.
            let path = link.path.map { $0 == .direct ? "" : " \($0.label)" } ?? ""
            parts.append("\(name) \(ping) \(link.lossPercent)%\(path)")
        }
        return parts.joined(separator: " | ")
    }

    static func draw(_ status: MatchStatus, links: [LinkStatus], into buffer: inout CellBuffer, y: Int) {
        buffer.fill(Rect(x: 0, y: y, width: buffer.width, height: 1), style: TextStyle(.muted, reverse: true))
        buffer.write(" " + text(status, links: links), x: 0, y: y, style: TextStyle(.muted, reverse: true))
    }
}
