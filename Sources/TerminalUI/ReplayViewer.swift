import MeshplayCore
import Replay

/// `meshplay replay FILE`: plays a recorded match at its tick rate times a speed,
/// with pause, single steps, seeking and the recorded chat.
public final class ReplayViewer: TerminalScene {
    /// Speeds offered, in quarters: 1/4x up to 16x.
    static let speedQuarters = [1, 2, 4, 8, 16, 32, 64]

    public let playback: ReplayPlayback
    public let name: String
    public private(set) var paused = false
    public private(set) var speedIndex = 2
    public private(set) var chat = ChatLog()
    public private(set) var helpVisible = false
    private var nextStepAt: Timestamp?
    private var view: GameView

    /// Starts at tick 0, playing.
    public init(bytes: [UInt8], name: String, catalog: GameCatalog) throws {
        playback = try ReplayPlayback(bytes: bytes, catalog: catalog)
        self.name = name
        view = playback.game.view()
    }

    /// The speed as text ("1x", "1/4x").
    public var speedText: String {
        let quarters = Self.speedQuarters[speedIndex]
        return quarters >= 4 ? "\(quarters / 4)x" : "1/\(4 / quarters)x"
    }

    private var stepInterval: TimeSpan {
        let perSecond = Int64(playback.file.header.ticksPerSecond) * Int64(Self.speedQuarters[speedIndex])
        return TimeSpan(nanoseconds: 4_000_000_000 / max(1, perSecond))
    }

    public func handle(_ key: Key, now: Timestamp) -> Bool {
        if helpVisible {
            helpVisible = false
            return true
        }
        let ticksPerSecond = UInt32(playback.file.header.ticksPerSecond)
        switch key {
        case .character("q"), .escape, .control("c"): return false
        case .character("?"): helpVisible = true
        case .character(" "), .character("p"): paused.toggle(); nextStepAt = now + stepInterval
        case .character("+"), .character("="), .character("f"): speedIndex = min(Self.speedQuarters.count - 1, speedIndex + 1)
        case .character("-"), .character("s"): speedIndex = max(0, speedIndex - 1)
        case .character("."):
            paused = true
            step()
        case .character(","):
            paused = true
            seek(to: playback.tick.rawValue == 0 ? .zero : Tick(playback.tick.rawValue - 1))
        case .right: seek(to: playback.tick.advanced(by: 5 * ticksPerSecond))
        case .left: seek(to: Tick(playback.tick.rawValue - min(playback.tick.rawValue, 5 * ticksPerSecond)))
        case .home: seek(to: .zero)
        case .end: seek(to: playback.tickCount)
        default: break
        }
        return true
    }

    public func advance(now: Timestamp) -> Bool {
        guard !paused, !playback.isAtEnd else {
            nextStepAt = nil
            return false
        }
        guard var due = nextStepAt else {
            nextStepAt = now + stepInterval
            return false
        }
        var changed = false
        // Bounded catch-up, as in a live match: a stalled loop skips rather than races.
        if now - due > stepInterval * 8 { due = now }
        while due <= now, !playback.isAtEnd {
            step()
            due = due + stepInterval
            changed = true
        }
        nextStepAt = due
        return changed
    }

    public func nextDeadline(after now: Timestamp) -> Timestamp {
        if paused || playback.isAtEnd { return now + .seconds(1) }
        return nextStepAt ?? now + stepInterval
    }

    public func shutdown() {}

    private func step() {
        do {
            if let events = try playback.stepForward() { show(events) } else { show(playback.lastEvents) }
        } catch {
            chat.notice("replay stopped: \(error)")
        }
        view = playback.game.view()
    }

    private func seek(to tick: Tick) {
        do {
            try playback.seek(to: tick)
        } catch {
            chat.notice("seek failed: \(error)")
        }
        chat = ChatLog()
        for event in playback.chat(before: playback.tick) { show([event.event]) }
        view = playback.game.view()
    }

    private func show(_ events: [ReplayEvent]) {
        let players = playback.file.header.players
        for event in events {
            switch event {
            case .chat(let slot, let text):
                chat.add(author: players.indices.contains(slot.index) ? players[slot.index].name : slot.description, text: text)
            case .leave(let slot):
                chat.notice("\(players.indices.contains(slot.index) ? players[slot.index].name : slot.description) left")
            case .rejoin(let slot):
                chat.notice("\(players.indices.contains(slot.index) ? players[slot.index].name : slot.description) rejoined")
            }
        }
    }

    public func draw(into buffer: inout CellBuffer) {
        buffer.clear()
        guard Overlays.fits(width: buffer.width, height: buffer.height) else {
            Overlays.drawTooSmall(into: &buffer, extra: nil)
            return
        }
        let width = buffer.width
        let height = buffer.height
        let sidebarX = width - GameScreen.sidebarWidth
        buffer.write("meshplay", x: 1, y: 0, style: TextStyle(.title, bold: true))
        buffer.write(" - replay \(name) - \(view.status)", x: 9, y: 0, style: TextStyle(.muted), maxColumns: sidebarX - 10)
        BoardView.draw(view, in: Rect(x: 0, y: 1, width: sidebarX - 1, height: height - 3), focus: nil, localSlot: nil, into: &buffer)
        buffer.verticalRule(x: sidebarX - 1, y: 1, length: height - 3)
        let scoreHeight = min(view.scoreboard.count, max(4, (height - 3) / 2 - 2)) + 2
        ScoreboardView.draw(view.scoreboard, localSlot: nil, rect: Rect(x: sidebarX, y: 1, width: GameScreen.sidebarWidth, height: scoreHeight), into: &buffer)
        let chatRect = Rect(x: sidebarX, y: 1 + scoreHeight, width: GameScreen.sidebarWidth, height: height - 3 - scoreHeight)
        buffer.box(chatRect, title: "Chat")
        chat.draw(into: &buffer, rect: chatRect.inner)
        HintLine.draw(["space pause", "+/- speed", "./, step", "left/right seek", "? help", "q quit"], into: &buffer, y: height - 2)
        var state = paused ? "PAUSED" : "playing"
        if playback.isAtEnd { state = "end" }
        let status = " tick \(playback.tick) of \(playback.tickCount) | speed \(speedText) | \(state) | \(playback.file.header.ticksPerSecond) Hz recorded"
        buffer.fill(Rect(x: 0, y: height - 1, width: width, height: 1), style: TextStyle(.muted, reverse: true))
        buffer.write(status, x: 0, y: height - 1, style: TextStyle(paused ? .warning : .muted, reverse: true))
        if helpVisible { Overlays.drawHelp(into: &buffer, game: []) }
    }
}
