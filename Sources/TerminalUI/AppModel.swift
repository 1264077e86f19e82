import Bots
import MeshplayCore

/// What the app asks its shell to do after a key or event. The model itself does no I/O.
public enum AppEffect: Hashable, Sendable {
    /// Leave the client (the shell restores the terminal).
    case quit
    /// Start a match for a room: the shell makes the session and calls `matchStarted`.
    case startMatch(RoomSettings, [RoomMember])
    /// The local player's steering.
    case steer(PlayerInput)
    /// Send a chat line to the match.
    case sendChat(String)
    /// Leave the running match (closes its recording).
    case leaveMatch
    /// The player chose a network room: the ready key joins it from now on.
    case joinNetwork(NetworkJoinChoice)
    /// The player left the network room's screen: ready plays locally again.
    case leaveNetwork
    /// In a network room: tell the room whether the player is ready.
    case setNetworkReady(Bool)
}

/// The whole client as a state machine: which screen shows, what each holds, and
/// what keys and session events do. Tests drive it with keys and read its drawing.
public struct AppModel: Sendable {
    /// The screen on show.
    public enum Screen: Hashable, Sendable { case lobby, createRoom, room, game, results }

    public private(set) var screen = Screen.lobby
    /// Each screen's state; those not on show keep theirs (the room survives a match).
    public var lobby = LobbyScreen()
    public var createForm: CreateRoomForm?
    public var room: RoomScreen?
    public var game: GameScreen?
    public var results: ResultsScreen?
    /// The help overlay is showing; the next key closes it.
    public private(set) var helpVisible = false

    /// The local player's name.
    public let playerName: String
    /// The game on offer ("snake").
    public let gameName: String
    /// Offered maps and their seat counts (parallel arrays).
    public let mapNames: [String]
    public let seats: [Int]
    /// What "create room" starts from.
    public var defaultSettings: RoomSettings
    /// The network room the room screen stands for, when it is one (`--peer --room`, or chosen in the lobby).
    public private(set) var networkRoom: NetworkJoinChoice?
    /// The local room put aside while a network room's screen is up (it comes back on leaving).
    private var localRoom: RoomScreen?

    public init(playerName: String, gameName: String, mapNames: [String], seats: [Int], defaultSettings: RoomSettings) {
        precondition(!mapNames.isEmpty && mapNames.count == seats.count, "maps and seats must pair up")
        self.playerName = playerName
        self.gameName = gameName
        self.mapNames = mapNames
        self.seats = seats
        self.defaultSettings = defaultSettings
    }

    /// Opens a local room with `settings` at once (`meshplay play --bots N`).
    public mutating func openLocalRoom(_ settings: RoomSettings) {
        let capacity = seats[mapNames.firstIndex(of: settings.mapName) ?? 0]
        room = RoomScreen(gameName: gameName, settings: settings, playerName: playerName, capacity: capacity)
        lobby.rooms = [room!.summary]
        lobby.selected = 0
        screen = .room
    }

    /// Opens the room screen for a network room: ready (r) joins it over the network,
    /// as `meshplay play --peer ADDRESS --room ROOM` does.
    public mutating func openNetworkRoom(_ choice: NetworkJoinChoice) {
        var joining = defaultSettings
        joining.bots = 0
        if networkRoom == nil { localRoom = room }
        // The room screen stands for the network room: the lobby keeps listing only real local rooms.
        room = RoomScreen(joining: NetworkRoomState(roomName: choice.room, address: choice.address), gameName: gameName,
                          settings: joining, playerName: playerName)
        screen = .room
        networkRoom = choice
    }

    /// The network room's newest picture (members, settings) from the peer joining it.
    public mutating func updateNetworkRoom(_ info: HumanSeatSnapshot.Room?) {
        guard networkRoom != nil else { return }
        room?.update(networkRoom: info)
    }

    /// A new round of network rooms for the lobby.
    public mutating func showNetwork(_ directory: RoomDirectory) {
        lobby.showNetwork(directory)
    }

    /// Whether a line editor has the keyboard (then `?` and `q` are text).
    var isTyping: Bool {
        switch screen {
        case .lobby: lobby.isTyping
        case .room: room?.focus == .chat
        case .game: game?.focus == .chat
        default: false
        }
    }

    /// Applies one key and returns what the shell must carry out.
    public mutating func handle(_ key: Key) -> [AppEffect] {
        if key == .resize { return [] }
        if key == .control("c") { return screen == .game ? [.leaveMatch, .quit] : [.quit] }
        if helpVisible {
            helpVisible = false
            return []
        }
        if key == .character("?"), !isTyping, !(screen == .game && game?.confirmingQuit == true) {
            helpVisible = true
            return []
        }
        switch screen {
        case .lobby:
            switch lobby.handle(key) {
            case .create?:
                createForm = CreateRoomForm(mapNames: mapNames, seats: seats, initial: room?.settings ?? defaultSettings)
                screen = .createRoom
            case .join(let index)?:
                if index == 0, room != nil { screen = .room }
            case .joinNetwork(let choice)?:
                openNetworkRoom(choice)
                return [.joinNetwork(choice)]
            case .quit?:
                return [.quit]
            case nil:
                break
            }
        case .createRoom:
            switch createForm?.handle(key) {
            case .create(let settings)?:
                createForm = nil
                openLocalRoom(settings)
            case .cancel?:
                createForm = nil
                screen = .lobby
            case nil:
                break
            }
        case .room:
            switch room?.handle(key) {
            case .start(let settings, let members)?:
                return [.startMatch(settings, members)]
            case .leave?:
                screen = .lobby
                if networkRoom != nil {
                    networkRoom = nil
                    room = localRoom
                    localRoom = nil
                    return [.leaveNetwork]
                }
                if let room { lobby.rooms = [room.summary] }
            case .quit?:
                return [.quit]
            case .chat(let text)?:
                // A network room's chat comes back from the room, in the room's order.
                if networkRoom != nil { return [.sendChat(text)] }
                room?.received(chat: text, from: playerName)
            case .setReady(let ready)?:
                return [.setNetworkReady(ready)]
            case nil:
                break
            }
        case .game:
            switch game?.handle(key) {
            case .steer(let input)?: return [.steer(input)]
            case .chat(let text)?: return [.sendChat(text)]
            case .quit?: return [.leaveMatch, .quit]
            case nil: break
            }
        case .results:
            switch results?.handle(key) {
            case .again?:
                results = nil
                screen = room == nil ? .lobby : .room
            case .quit?:
                return [.quit]
            case nil:
                break
            }
        }
        return []
    }

    /// The shell started the match asked for by `.startMatch`.
    public mutating func matchStarted(title: String, localSlot: PlayerSlot, view: GameView, status: SessionStatus) {
        var screenModel = GameScreen(title: title, localSlot: localSlot, view: view, status: status)
        if let path = status.replayPath { screenModel.chat.notice("Recording to \(path)") }
        screenModel.chat.notice("Steer with arrows/WASD/hjkl. Enter to chat.")
        game = screenModel
        screen = .game
    }

    /// The shell could not start the match.
    public mutating func matchFailedToStart(_ reason: String) {
        room?.chat.notice("Could not start: \(reason)")
        // A network room: the join is over; r tries again.
        room?.network?.wantsReady = false
        screen = room == nil ? .lobby : .room
    }

    /// The newest picture of the running match.
    public mutating func refresh(view: GameView, status: SessionStatus) {
        game?.update(view: view, status: status)
    }

    /// Something the session reported.
    public mutating func apply(_ event: SessionEvent) {
        switch event {
        case .chat(_, let name, let text):
            game?.chat.add(author: name, text: text)
        case .notice(let text):
            game?.chat.notice(text)
        case .playerLeft(_, let name, let reason):
            game?.chat.notice("\(name) left (\(reason))")
        case .finished(let outcome, let replayPath):
            guard let game else { return }
            let names = game.view.scoreboard.sorted { $0.slot < $1.slot }.map(\.name)
            results = ResultsScreen(outcome: outcome, names: names, replayPath: replayPath, localSlot: game.localSlot)
            self.game = nil
            screen = .results
        case .failed(let reason):
            game = nil
            room?.chat.notice("The match stopped: \(reason)")
            screen = room == nil ? .lobby : .room
        }
    }

    /// Draws the current screen (or the too-small notice), then any overlay.
    public func draw(into buffer: inout CellBuffer) {
        buffer.clear()
        guard Overlays.fits(width: buffer.width, height: buffer.height) else {
            let question = screen == .game && game?.confirmingQuit == true ? "Leave the match and quit? y / n" : nil
            Overlays.drawTooSmall(into: &buffer, extra: question)
            return
        }
        switch screen {
        case .lobby: lobby.draw(into: &buffer)
        case .createRoom:
            lobby.draw(into: &buffer)
            createForm?.draw(into: &buffer)
        case .room: room?.draw(into: &buffer)
        case .game: game?.draw(into: &buffer)
        case .results: results?.draw(into: &buffer)
        }
        if helpVisible { Overlays.drawHelp(into: &buffer) }
    }
}
