import Lobby
import MeshTransport
import MeshplayCore
import Netplay

/// The client's shell around ``AppModel``: carries out its effects on the network (through
/// a ``NetplayService``: the player's node, its bots, the lobby's room search) and feeds it
/// what the player's node reports. Time comes in from the caller, so tests run it on a
/// virtual clock over the simulated network.
public final class ClientController: TerminalScene {
    public private(set) var model: AppModel
    public let setup: GameSetup
    /// Where nodes run.
    public let service: any NetplayService
    /// Where a local room goes when its bots cannot start on `service` (the in-process
    /// simulated network, say); nil to just say why.
    private let fallback: (any NetplayService)?
    /// The room on show and its nodes.
    private var session: RoomSession?
    private let replays: ReplayStore?
    private let botSkill: BotSkill
    private let log: FileLog
    private let seedSource: () -> UInt64
    /// Where the lobby looks for network rooms; nil to not look.
    private let places: RoomPlaces?
    /// The lobby's background search, running while the lobby is on show.
    private var search: (any RoomSearch)?
    private var searchRounds = 0
    /// The local UDP port for the player's node (`--port`, 0 for any).
    private let port: Int
    /// How long a network join looks for its room before it says the room was not found.
    private let joinTimeout: TimeSpan
    /// The player's keys for every network room in this run: a node dropped from a match can
    /// come back as the same player (a new node with the same keys) and take its seat again.
    private let identity: NodeIdentity

    /// - Parameters:
    ///   - service: where the player's node and its bots run.
    ///   - fallback: where a local room runs when its nodes cannot start on `service`.
    ///   - replays: where matches are recorded; nil records nothing.
    ///   - seedSource: seeds for bots and local room names.
    ///   - places: where the lobby looks for network rooms while it is shown; nil to not look.
    ///   - port: the local UDP port for the player's node (0 for any).
    ///   - joinTimeout: how long a network join looks for its room before giving up.
    public init(model: AppModel, setup: GameSetup, service: any NetplayService, fallback: (any NetplayService)? = nil,
                replays: ReplayStore?, botSkill: BotSkill = .normal, log: FileLog,
                seedSource: @escaping () -> UInt64 = { UInt64.random(in: 1 ... UInt64.max) },
                places: RoomPlaces? = nil, port: Int = 0, joinTimeout: TimeSpan = .seconds(30)) {
        self.model = model
        self.setup = setup
        self.service = service
        self.fallback = fallback
        self.replays = replays
        self.botSkill = botSkill
        self.log = log
        self.seedSource = seedSource
        var entropy = SystemEntropy()
        identity = NodeIdentity(entropy: &entropy)
        self.places = places
        self.port = port
        self.joinTimeout = joinTimeout
    }

    // MARK: Starting rooms

    /// Hosts a room of the player's own with bots, and shows it.
    public func createRoom(_ choices: RoomChoices) {
        let name = "local-" + String(seedSource() & 0xFFFF_FFFF, radix: 16)
        let settings: RoomSettings
        do {
            settings = try setup.makeSettings(name, choices)
        } catch {
            log.log("could not create a room: \(error)")
            model.openLocalRoom(named: name, choices: choices)
            model.roomFailed("Could not create the room: \(error)")
            return
        }
        model.openLocalRoom(named: name, choices: choices)
        startLocalRoom(settings, bots: choices.bots, on: service)
    }

    private func startLocalRoom(_ settings: RoomSettings, bots: Int, on service: any NetplayService) {
        let player = service.startPlayer(PlayerNodeRequest(name: model.playerName, mesh: .own, port: 0, replaysDirectory: replays?.directory))
        player.send(.createRoom(settings, password: nil, playerName: model.playerName, minimumPlayers: 1))
        let session = RoomSession(service: service, player: player, roomName: settings.name, isLocal: true, localSettings: settings)
        for _ in 0..<bots { session.addBot(skill: botSkill, seed: seedSource()) }
        self.session = session
        log.log("room \(settings.name): hosting \(settings.map) with \(bots) bots")
    }

    /// Joins a network room, and shows it.
    public func joinRoom(_ choice: NetworkJoinChoice) {
        closeSession()
        model.openNetworkRoom(choice)
        startJoin(choice)
    }

    /// A fresh node for the player that looks for `choice`'s room and joins it.
    private func startJoin(_ choice: NetworkJoinChoice) {
        let request = PlayerNodeRequest(
            name: model.playerName, mesh: choice.mesh, port: port, replaysDirectory: replays?.directory, room: choice.room, identity: identity)
        let player = service.startPlayer(request)
        player.send(.joinRoom(choice.room, password: choice.password, playerName: model.playerName, timeout: joinTimeout))
        session = RoomSession(service: service, player: player, roomName: choice.room, isLocal: false, localSettings: nil, joinChoice: choice)
        log.log("room \(choice.room): joining through \(request.meshDescription)")
    }

    /// Watches a running network room's match (its host feeds it), 2 s behind its players.
    public func watchRoom(_ choice: NetworkJoinChoice) {
        closeSession()
        model.openNetworkRoom(choice)
        let request = PlayerNodeRequest(
            name: model.playerName, mesh: choice.mesh, port: port, replaysDirectory: replays?.directory, room: choice.room, identity: identity)
        let player = service.startPlayer(request)
        player.send(.watchRoom(choice.room, delay: .seconds(2), timeout: joinTimeout))
        session = RoomSession(service: service, player: player, roomName: choice.room, isLocal: false, localSettings: nil)
        log.log("room \(choice.room): watching through \(request.meshDescription)")
    }

    /// Takes the player's dropped seat in the match of the network room it was dropped from
    /// again: a fresh node with the player's keys finds the running room and is fed the match.
    private func rejoinMatch() {
        guard let choice = session?.joinChoice else { return }
        closeSession()
        let request = PlayerNodeRequest(
            name: model.playerName, mesh: choice.mesh, port: port, replaysDirectory: replays?.directory, room: choice.room, identity: identity)
        let player = service.startPlayer(request)
        player.send(.rejoinRoom(choice.room, playerName: model.playerName, timeout: joinTimeout))
        session = RoomSession(service: service, player: player, roomName: choice.room, isLocal: false, localSettings: nil, joinChoice: choice)
        log.log("room \(choice.room): taking the seat again through \(request.meshDescription)")
    }

    private func closeSession() {
        session?.close()
        session = nil
    }

    // MARK: TerminalScene

    public func handle(_ key: Key, now: Timestamp) -> Bool {
        var keepGoing = true
        for effect in model.handle(key) {
            switch effect {
            case .quit:
                keepGoing = false
            case .createRoom(let choices):
                closeSession()
                createRoom(choices)
            case .joinRoom(let choice):
                joinRoom(choice)
            case .watchRoom(let choice):
                watchRoom(choice)
            case .rejoinMatch:
                rejoinMatch()
            case .leaveRoom:
                closeSession()
            case .leaveMatch:
                // The client quits right after: wait (briefly) until the node has ended the match and
                // handed its recording's trailer over, or the process could end before it does.
                session?.closeAndWait()
                session = nil
            case .setReady(let ready):
                // A network room whose join failed: ready tries the join again (the screen says why it failed).
                if ready, let failed = session, failed.failed, let choice = failed.joinChoice {
                    closeSession()
                    model.room?.joiningAgain()
                    startJoin(choice)
                }
                syncReady()
            case .addBot:
                session?.addBot(skill: botSkill, seed: seedSource())
                model.room?.plannedBots += 1
                syncReady()
            case .removeBot:
                session?.removeBot()
                if let planned = model.room?.plannedBots { model.room?.plannedBots = max(0, planned - 1) }
                syncReady()
            case .sendChat(let text):
                session?.player.send(.chat(text))
            case .press(let input):
                session?.player.send(.press(input))
            }
        }
        return keepGoing
    }

    public func advance(now: Timestamp) -> Bool {
        var changed = followSearch()
        guard let session else { return changed }
        let poll = session.player.poll(now: now)
        let botNews = session.pollBots(now: now)
        for news in botNews.gaveUp {
            // The room would wait for a bot that is not coming: it counts no more.
            changed = true
            log.log("room \(session.roomName): \(news)")
            if let planned = model.room?.plannedBots { model.room?.plannedBots = max(0, planned - 1) }
            model.chat(author: nil, text: news)
        }
        if let failure = poll.failure ?? botNews.failure, !session.failed {
            changed = true
            if session.isLocal, let fallback, session.service !== fallback, let settings = session.localSettings {
                log.log("room \(session.roomName): cannot start here (\(failure)); playing over the in-process network")
                model.room?.chat.notice("Bot peers could not start on loopback (\(failure)); playing over the in-process network.")
                let bots = session.bots.count
                closeSession()
                startLocalRoom(settings, bots: bots, on: fallback)
                return true
            }
            session.failed = true
            log.log("room \(session.roomName): \(failure)")
            model.roomFailed(failure)
        }
        for event in poll.events {
            changed = true
            apply(event, session: session)
        }
        if let snapshot = poll.snapshot, snapshot != session.lastSnapshot {
            changed = true
            session.lastSnapshot = snapshot
            show(snapshot, session: session)
        }
        // A bot's node may be known only after it joined (its handle hears of it later): mark it as soon as it is.
        let bots = session.botPeers
        if let room = model.room, room.botPeers != bots {
            changed = true
            model.room?.botPeers = bots
        }
        syncReady()
        return changed
    }

    private func apply(_ event: NodeEvent, session: RoomSession) {
        switch event {
        case .joinedRoom(let settings):
            log.log("room \(settings.name): in")
        case .joinFailed(let failure):
            session.failed = true
            log.log("room \(session.roomName): \(failure)")
            model.roomFailed(failure.description.prefix(1).uppercased() + failure.description.dropFirst() + ".")
        case .removed(let reason):
            session.failed = true
            model.roomFailed("Left the room: \(reason).")
        case .chat(let line):
            model.chat(author: line.name, text: line.text)
        case .notice(let text):
            model.chat(author: nil, text: text)
        case .matchStarted(let slot, let players, let game):
            log.log("match started: \(game), slot \(slot.index), \(players.count) players")
        case .playerDropped(_, let name):
            model.chat(author: nil, text: "\(name) left (dropped)")
        case .playerRejoined(_, let name):
            model.chat(author: nil, text: "\(name) rejoined")
        case .rejoined(_, let tick):
            model.chat(author: nil, text: "You are back in your seat from tick \(tick).")
        case .watchStarted(let players, let game):
            log.log("watching \(game), \(players.count) players")
        case .watchEnded(let problem, let tick, _, let replay):
            log.log("watching ended at tick \(tick)\(problem.map { ": \($0)" } ?? ""), replay \(replay ?? "none")")
            model.chat(author: nil, text: problem.map { "Watching stopped: \($0)." } ?? "The match is over (tick \(tick)). q quits.")
        case .matchEnded(let report):
            log.log("match over: \(report.outcome.reason), \(report.ticks) ticks, replay \(report.replayPath ?? "none")"
                    + (report.failures.isEmpty ? "" : ", " + report.failures.joined(separator: "; ")))
            session.showingMatch = false
            session.matchesEnded += 1
            session.readySent = false
            // Dropped (its network lost) from a network room's match the others play on: offer the seat back.
            let dropped = ["dropped by the other players", "network lost, no other player answers", "lost contact with the majority"]
            model.matchEnded(report, offersRejoin: session.joinChoice != nil && dropped.contains(report.outcome.reason))
        case .matchFailed(let reason):
            model.chat(author: nil, text: "The match could not start here: \(reason).")
        case .stopped:
            if !session.failed {
                session.failed = true
                model.roomFailed("The node stopped.")
            }
        }
    }

    private func show(_ snapshot: NodeSnapshot, session: RoomSession) {
        let status = snapshot.status
        // A snapshot from before the end the node already reported would show the match again.
        guard status.matchesPlayed >= session.matchesEnded else { return }
        model.room?.update(room: status.room, localPeer: status.peerID)
        guard let match = status.match, match.isRunning, let view = snapshot.view else { return }
        if !session.showingMatch {
            session.showingMatch = true
            // Watching: no seat of ours (the slot past the last), so no keys steer anything.
            let watching = match.localSlot.index >= match.players.count
            let noKeys = GameControls(bindings: [], holdsLastInput: true, helpLines: [])
            let controls = watching ? noKeys : setup.catalog.controls(for: match.game) ?? noKeys
            let title = session.isLocal
                ? "\(match.game.id) on \(status.room?.settings.map ?? "its map")"
                : "\(watching ? "watching " : "")\(match.game.id) in room \(session.roomName)"
            model.matchStarted(title: ChatText.forDisplay(title, maxCharacters: 48), view: view, status: match, links: snapshot.links,
                               controls: controls)
        } else if model.game != nil {
            model.refresh(view: view, status: match, links: snapshot.links)
        }
    }

    /// Tells the player's node whether the player is ready: a local room only once every
    /// bot asked for is in (else the match would start without them).
    private func syncReady() {
        guard let session, let room = model.room, !session.failed else { return }
        let ready = room.wantsReady && room.botsAreIn && room.room != nil
        guard ready != session.readySent else { return }
        session.readySent = ready
        session.player.send(.setReady(ready))
    }

    public func nextDeadline(after now: Timestamp) -> Timestamp {
        guard session != nil else { return now + .milliseconds(search == nil ? 1000 : 100) }
        let rate = model.game?.status.tickRate ?? 0
        let period = rate > 0 ? TimeSpan(nanoseconds: 1_000_000_000 / Int64(rate)) : .milliseconds(50)
        return now + min(period / 2, .milliseconds(50))
    }

    public func draw(into buffer: inout CellBuffer) { model.draw(into: &buffer) }

    public func shutdown() {
        search?.stop()
        search = nil
        session?.closeAndWait()
        session = nil
    }

    /// Looks for network rooms only while the lobby (or the create form over it) is on show,
    /// and hands each finished round to the model. True when the lobby has news to draw.
    private func followSearch() -> Bool {
        guard let places else { return false }
        let inLobby = model.screen == .lobby || model.screen == .createRoom
        if inLobby, search == nil {
            search = service.findRooms(places)
            searchRounds = -1
        } else if !inLobby, let running = search {
            running.stop()
            search = nil
        }
        guard let search else { return false }
        let rounds = search.roundsCompleted
        guard rounds != searchRounds else { return false }
        searchRounds = rounds
        model.showNetwork(search.directory)
        return true
    }
}
