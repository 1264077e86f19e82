import Lobby
import MeshplayCore
import Netplay

/// What the app asks its shell to do after a key. The model itself does no I/O.
public enum AppEffect: Hashable, Sendable {
    /// Leave the client (the shell restores the terminal).
    case quit
    /// Host a room of the player's own on this machine, with bots.
    case createRoom(RoomChoices)
    /// Join a room on the network.
    case joinRoom(NetworkJoinChoice)
    /// Watch a running network room's match.
    case watchRoom(NetworkJoinChoice)
    /// Leave the room on show (and its match, if one runs).
    case leaveRoom
    /// The player is (or is no longer) ready.
    case setReady(Bool)
    /// A local room: one bot more, or one fewer.
    case addBot
    case removeBot
    /// A chat line for the room or the match.
    case sendChat(String)
    /// A key press that plays an input in the match.
    case press(PlayerInput)
    /// Leave the running match (its recording is closed as it stands).
    case leaveMatch
    /// Take the player's dropped seat in the match it was dropped from again.
    case rejoinMatch
}

/// The whole client as a state machine: which screen shows, what each holds, and what keys
/// and the player's node do. Tests drive it with keys and node pictures and read its drawing.
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
    /// The games on offer, the default first, each with its maps and their seats.
    public let games: [GameMenu]
    /// The default game's name ("snake").
    public var gameName: String { games[0].name }
    /// The default game's maps and their seat counts (parallel arrays).
    public var mapNames: [String] { games[0].mapNames }
    public var seats: [Int] { games[0].seats }
    /// What "create room" starts from.
    public var defaultChoices: RoomChoices
    /// The help lines of the game on offer, shown outside a match.
    public let defaultHelp: [ControlHelpLine]

    /// A model offering one game.
    public init(playerName: String, gameName: String, mapNames: [String], seats: [Int], defaultChoices: RoomChoices,
                defaultHelp: [ControlHelpLine] = []) {
        self.init(playerName: playerName, games: [GameMenu(name: gameName, mapNames: mapNames, seats: seats)],
                  defaultChoices: defaultChoices, defaultHelp: defaultHelp)
    }

    /// A model offering `games` (the first is the default).
    public init(playerName: String, games: [GameMenu], defaultChoices: RoomChoices, defaultHelp: [ControlHelpLine] = []) {
        precondition(!games.isEmpty, "a client offers at least one game")
        self.playerName = playerName
        self.games = games
        self.defaultChoices = defaultChoices
        self.defaultHelp = defaultHelp
    }

    /// The seats of `choices`' map in its game (the game's first map's when unknown).
    func capacity(of choices: RoomChoices) -> Int {
        (games.first { $0.name == choices.game } ?? games[0]).seats(of: choices.mapName)
    }

    /// Shows the room screen for a room the player hosts with bots.
    public mutating func openLocalRoom(named name: String, choices: RoomChoices) {
        room = RoomScreen(roomName: name, place: "local", isLocal: true, plannedBots: choices.bots, capacity: capacity(of: choices))
        screen = .room
    }

    /// Shows the room screen for a network room being joined.
    public mutating func openNetworkRoom(_ choice: NetworkJoinChoice) {
        room = RoomScreen(roomName: choice.room, place: choice.address, isLocal: false, capacity: 0)
        screen = .room
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
                createForm = CreateRoomForm(games: games, initial: defaultChoices)
                screen = .createRoom
            case .joinNetwork(let choice)?:
                openNetworkRoom(choice)
                return [.joinRoom(choice)]
            case .watchNetwork(let choice)?:
                openNetworkRoom(choice)
                return [.watchRoom(choice)]
            case .quit?:
                return [.quit]
            case nil:
                break
            }
        case .createRoom:
            switch createForm?.handle(key) {
            case .create(let choices)?:
                createForm = nil
                defaultChoices = choices
                return [.createRoom(choices)]
            case .cancel?:
                createForm = nil
                screen = .lobby
            case nil:
                break
            }
        case .room:
            switch room?.handle(key) {
            case .leave?:
                room = nil
                screen = .lobby
                return [.leaveRoom]
            case .quit?:
                return [.quit]
            case .chat(let text)?:
                // The room's chat comes back from the room, in the room's order.
                return [.sendChat(text)]
            case .setReady(let ready)?:
                return [.setReady(ready)]
            case .addBot?:
                return [.addBot]
            case .removeBot?:
                return [.removeBot]
            case nil:
                break
            }
        case .game:
            switch game?.handle(key) {
            case .steer(let input)?: return [.press(input)]
            case .chat(let text)?: return [.sendChat(text)]
            case .quit?: return [.leaveMatch, .quit]
            case nil: break
            }
        case .results:
            switch results?.handle(key) {
            case .again?:
                results = nil
                screen = room == nil ? .lobby : .room
            case .rejoin?:
                results = nil
                screen = room == nil ? .lobby : .room
                room?.joiningAgain()
                return [.rejoinMatch]
            case .quit?:
                return [.quit]
            case nil:
                break
            }
        }
        return []
    }

    /// The player's node began a match: the game screen shows it.
    public mutating func matchStarted(title: String, view: GameView, status: MatchStatus, links: [LinkStatus], controls: GameControls) {
        var screenModel = GameScreen(title: title, view: view, status: status, links: links, controls: controls)
        if let path = status.replayPath { screenModel.chat.notice("Recording to \(path)") }
        let keys = controls.helpLines.first.map { "\($0.keys): \($0.action)." } ?? ""
        screenModel.chat.notice("\(keys) Enter to chat.")
        game = screenModel
        results = nil
        screen = .game
    }

    /// The newest picture of the running match.
    public mutating func refresh(view: GameView, status: MatchStatus, links: [LinkStatus]) {
        game?.update(view: view, status: status, links: links)
    }

    /// The match ended here: the results screen shows how.
    /// `offersRejoin`: this player was dropped from a network room's match that goes on (see ``ResultsScreen/offersRejoin``).
    public mutating func matchEnded(_ report: MatchReport, offersRejoin: Bool = false) {
        let names = report.players.map(\.name)
        results = ResultsScreen(
            outcome: report.outcome, names: names, replayPath: report.replayPath, localSlot: report.slot, leftSlots: report.droppedPlayers,
            replayProblem: report.failures.first { $0.hasPrefix("replay: ") }.map { String($0.dropFirst("replay: ".count)) })
        results?.offersRejoin = offersRejoin
        game = nil
        room?.wantsReady = false
        screen = .results
    }

    /// The room (or the way to it) failed: the room screen says why; a match on show ends.
    public mutating func roomFailed(_ reason: String) {
        if screen == .game {
            game = nil
            screen = room == nil ? .lobby : .room
        }
        room?.failed(reason)
    }

    /// A line for the chat pane on show (the match's, else the room's).
    public mutating func chat(author: String?, text: String) {
        if game != nil {
            game?.chat.add(author: author, text: text)
        } else {
            room?.chat.add(author: author, text: text)
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
        if helpVisible {
            Overlays.drawHelp(into: &buffer, game: game?.controls.helpLines ?? defaultHelp, legend: game?.controls.legend ?? [])
        }
    }
}
