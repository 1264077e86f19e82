import Bots
import MeshplayCore

/// A room on the network as its screen shows it: what the peer has learnt of the room
/// (members, their ready state and ping, the real settings) and whether the player is ready.
public struct NetworkRoomState: Hashable, Sendable {
    /// The room asked for.
    public var roomName: String
    /// Where it was joined through, `HOST:PORT`.
    public var address: String
    /// The room as its members see it; nil until the peer is in.
    public var room: HumanSeatSnapshot.Room?
    /// What the player said with `r`.
    public var wantsReady = false

    public init(roomName: String, address: String) {
        self.roomName = ChatText.forDisplay(roomName, maxCharacters: 32)
        self.address = ChatText.forDisplay(address, maxCharacters: 64)
    }
}

extension RoomScreen {
    /// The screen for a network room being joined: no bots to add, ready goes to the room.
    public init(joining state: NetworkRoomState, gameName: String, settings: RoomSettings, playerName: String) {
        self.gameName = gameName
        self.settings = settings
        capacity = 0
        members = [RoomMember(name: playerName, isBot: false, isLocalPlayer: true, ready: false, pingMilliseconds: nil)]
        network = state
        chat.notice("Joining room \(state.roomName) at \(state.address)...")
    }

    /// The newest picture of the network room (members, settings), from the peer.
    public mutating func update(networkRoom room: HumanSeatSnapshot.Room?) {
        guard var state = network else { return }
        if state.room == nil, room != nil { chat.notice("In the room. Press r when ready; the host starts when everyone is.") }
        state.room = room
        network = state
    }

    /// Keys that mean something else in a network room: the outer nil hands the key to
    /// the local room's handling, an inner nil means handled with nothing to do.
    mutating func handleNetwork(_ key: Key) -> Action?? {
        switch key {
        case .character("r"), .character(" "):
            guard var state = network else { return nil }
            state.wantsReady.toggle()
            network = state
            return .setReady(state.wantsReady)
        case .character("+"), .character("b"), .character("-"), .character("x"):
            chat.notice("Bots are added by the room's host.")
            return .some(nil)
        default:
            return nil
        }
    }

    func drawNetwork(_ state: NetworkRoomState, into buffer: inout CellBuffer) {
        let width = buffer.width
        let height = buffer.height
        buffer.write("meshplay", x: 1, y: 0, style: TextStyle(.title, bold: true))
        buffer.write(" - room: \(state.roomName) at \(state.address) (network)", x: 9, y: 0, style: TextStyle(.muted),
                     maxColumns: width - 10)

        let leftWidth = 44
        let room = state.room
        let rows = room?.members ?? []
        let cap = room?.playerCap ?? 0
        let membersRect = Rect(x: 0, y: 1, width: leftWidth, height: min(height - 9, max(cap, rows.count, 1) + 2))
        buffer.box(membersRect, title: room == nil ? "Members" : "Members \(rows.count)/\(cap)",
                   style: TextStyle(focus == .members ? .title : .muted))
        if room == nil {
            buffer.write("Joining...", x: membersRect.x + 2, y: membersRect.y + 1, style: TextStyle(.muted))
        }
        for (index, member) in rows.enumerated() where index < membersRect.height - 2 {
            let y = membersRect.y + 1 + index
            var name = ChatText.forDisplay(member.name, maxCharacters: 16)
            if member.isYou { name += " (you)" }
            if member.isHost { name += " *" }
            buffer.write(pad(name, 22), x: membersRect.x + 2, y: y, style: TextStyle(.text, bold: member.isYou))
            // The host is not "ready": it starts the game once everyone else is.
            let (word, paint): (String, Paint) = member.isHost ? ("host", .muted) : member.isReady ? ("ready", .good) : ("not ready", .warning)
            buffer.write(word, x: membersRect.x + 24, y: y, style: TextStyle(paint, bold: !member.isHost))
            let ping = member.isYou ? "you" : member.pingMilliseconds.map { "\($0) ms" } ?? "-"
            buffer.write(ping, x: membersRect.x + 35, y: y, style: TextStyle(.muted))
        }

        let settingsRect = Rect(x: 0, y: membersRect.maxY, width: leftWidth, height: 6)
        buffer.box(settingsRect, title: "Settings (* host)")
        let lines: [String]
        if let room {
            let seconds = room.tickRate > 0 ? room.matchLengthTicks / room.tickRate : 0
            lines = [
                "Map          \(ChatText.forDisplay(room.map, maxCharacters: 28))",
                "Match        \(formatDuration(seconds)) (\(room.matchLengthTicks) ticks)",
                "Tick rate    \(room.tickRate) Hz",
                "Password     \(room.locked ? "yes" : "no")",
            ]
        } else {
            lines = ["Waiting for the room's answer."]
        }
        drawSettingsChatAndHints(lines, in: settingsRect, leftWidth: leftWidth,
                                 hints: [state.wantsReady ? "r not ready" : "r ready", "Enter chat", "Esc leave", "? help", "q quit"],
                                 into: &buffer)
    }
}
