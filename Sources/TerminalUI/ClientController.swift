import Bots
import MeshplayCore
import Replay

/// The client's shell around `AppModel`: carries out its effects (starts the local
/// session, passes steering and chat on) and feeds it the session's events.
/// Time comes in from the caller, so tests run it on a virtual clock.
public final class ClientController: TerminalScene {
    public private(set) var model: AppModel
    public let setup: GameSetup
    /// The running match, if any.
    public private(set) var session: (any PlaySession)?
    private let replays: ReplayStore?
    private let botSkill: BotSkill
    private let log: FileLog
    private let seedSource: () -> UInt64
    private var lastDrawnTick: Tick?
    /// Set for `meshplay play --peer ... --room ...` or a room chosen in the lobby: the ready
    /// key joins that room over the network.
    private var network: NetworkJoin?
    /// Where the lobby looks for network rooms; nil to not look.
    private let places: RoomDiscovery.Places?
    /// The lobby's background search, running while the lobby is on show.
    private var discovery: RoomDiscovery?
    private var discoveryRounds = 0
    /// The local UDP port for network joins chosen in the lobby (`--port`, 0 for any).
    private let networkPort: Int
    /// Whether this network room was joined already (a failed join waits for r to retry).
    private var joinTried = false
    /// A networked session whose game has not begun yet.
    private var pending: NetworkPlaySession?
    /// A networked session whose game ended: it still closes its replay and leaves the room.
    private var ended: NetworkPlaySession?
    /// What the networked match being joined is called on its screen.
    private var pendingTitle = ""
    /// A local room's bot peers coming up on loopback; the player joins them once they are.
    private var launching: LoopbackLaunch?
    /// The bot peers of the local room being played (or just played) over loopback.
    private var loopback: LoopbackBotRoom?
    /// Whether a local room's bots play as real peers on loopback UDP (the default), or as
    /// in-process brains stepping the player's own game (deterministic on a virtual clock: for tests).
    public var localBotsOverLoopback = true

    /// - Parameters:
    ///   - replays: where matches are recorded; nil records nothing.
    ///   - seedSource: the match seed for each new match (recorded in its replay).
    ///   - network: the room to join over the network when the player gets ready; nil plays locally.
    ///   - places: where the lobby looks for network rooms while it is shown; nil to not look.
    ///   - networkPort: the local UDP port for joins chosen in the lobby (0 for any).
    public init(model: AppModel, setup: GameSetup, replays: ReplayStore?, botSkill: BotSkill = .normal,
                log: FileLog, seedSource: @escaping () -> UInt64 = { UInt64.random(in: 1 ... UInt64.max) },
                network: NetworkJoin? = nil, places: RoomDiscovery.Places? = nil, networkPort: Int = 0) {
        self.model = model
        self.network = network
        self.places = places
        self.networkPort = networkPort
        self.setup = setup
        self.replays = replays
        self.botSkill = botSkill
        self.log = log
        self.seedSource = seedSource
    }

    public func handle(_ key: Key, now: Timestamp) -> Bool {
        var keepGoing = true
        for effect in model.handle(key) {
            switch effect {
            case .quit:
                keepGoing = false
            case .startMatch(let settings, let members):
                startMatch(settings, members, now: now)
            case .steer(let input):
                session?.localInput(input)
            case .sendChat(let text):
                if let session { session.sendChat(text) } else { pending?.sendChat(text) }
            case .leaveMatch:
                session?.leave()
                session = nil
                closeLoopback()
            case .joinNetwork(let choice):
                log.log("lobby: chose room \(choice.room) at \(choice.address)")
                network = NetworkJoin(peers: [choice.address], room: choice.room, password: choice.password, port: networkPort)
                joinTried = false
            case .leaveNetwork:
                pending?.leave()
                pending = nil
                network = nil
            case .setNetworkReady(let ready):
                if let pending {
                    pending.setReady(ready)
                } else if ready, let network {
                    // The last join failed: ready tries again.
                    startNetworkMatch(network, title: "\(setup.gameName) in room \(network.room)", ready: true)
                }
            }
        }
        return keepGoing
    }

    public func advance(now: Timestamp) -> Bool {
        let lobbyChanged = followDiscovery()
        if let launching { return advanceLaunch(launching, now: now) || lobbyChanged }
        // A network room's screen joins the room at once (ready comes later, with r).
        if pending == nil, session == nil, !joinTried, model.screen == .room, model.networkRoom != nil, let network {
            startNetworkMatch(network, title: "\(setup.gameName) in room \(network.room)", ready: false)
        }
        if let pending { return advancePending(pending, now: now) || lobbyChanged }
        guard let session else { return lobbyChanged }
        let events = session.advance(now: now)
        let tick = session.status.tick
        let changed = !events.isEmpty || tick != lastDrawnTick
        if changed {
            model.refresh(view: session.view, status: session.status)
            lastDrawnTick = tick
        }
        for event in events {
            log.log("session: \(event)")
            model.apply(event)
            switch event {
            case .finished, .failed:
                if let network = session as? NetworkPlaySession { ended = network }
                if case .finished = event { loopback?.closeWhenDone() } else { closeLoopback() }
                self.session = nil
            default: break
            }
        }
        return changed
    }

    public func nextDeadline(after now: Timestamp) -> Timestamp {
        if pending != nil || launching != nil { return now + .milliseconds(50) }
        return session?.nextDeadline(after: now) ?? now + .seconds(1)
    }

    public func draw(into buffer: inout CellBuffer) { model.draw(into: &buffer) }

    public func shutdown() {
        discovery?.stop()
        discovery = nil
        ended?.leave()
        ended = nil
        pending?.leave()
        pending = nil
        session?.leave()
        session = nil
        launching?.abandon()?.close(waitingAtMost: 1)
        launching = nil
        loopback?.close(waitingAtMost: 1)
        loopback = nil
    }

    /// Looks for network rooms only while the lobby (or the create form over it) is on show,
    /// and hands each finished round to the model. True when the lobby has news to draw.
    private func followDiscovery() -> Bool {
        guard let places else { return false }
        let inLobby = model.screen == .lobby || model.screen == .createRoom
        if inLobby, discovery == nil {
            discovery = RoomDiscovery(places)
            discoveryRounds = -1
        } else if !inLobby, let running = discovery {
            running.stop()
            discovery = nil
        }
        guard let discovery else { return false }
        let rounds = discovery.roundsCompleted
        guard rounds != discoveryRounds else { return false }
        discoveryRounds = rounds
        model.showNetwork(discovery.directory)
        return true
    }

    private func startMatch(_ settings: RoomSettings, _ members: [RoomMember], now: Timestamp) {
        if let network {
            startNetworkMatch(network, title: "\(setup.gameName) in room \(network.room)", ready: true)
            return
        }
        guard launching == nil, pending == nil else { return }
        closeLoopback()
        // Bots play as real peers on loopback; a room without bots, or a game that cannot be set up, stays in process.
        if localBotsOverLoopback, members.contains(where: \.isBot),
           let launch = try? LoopbackLaunch(settings: settings, members: members, setup: setup, skill: botSkill, seed: seedSource()) {
            launching = launch
            model.room?.chat.notice("Starting \(members.filter(\.isBot).count) bot peers on loopback.")
            return
        }
        startLocalMatch(settings, members, now: now)
    }

    private func startLocalMatch(_ settings: RoomSettings, _ members: [RoomMember], now: Timestamp) {
        // The human sits in slot 0 (the local session steers slot 0), bots after.
        let ordered = members.filter(\.isLocalPlayer) + members.filter { !$0.isLocalPlayer }
        let players = ordered.enumerated().map { PlayerInfo(slot: PlayerSlot($0.offset), name: $0.element.name) }
        let seed = seedSource()
        do {
            let game = try setup.makeGame(settings, players, seed)
            var recorder: ReplayFileWriter?
            if let replays {
                do {
                    recorder = try replays.makeWriter(gameName: setup.gameName, tickRate: settings.tickRate)
                } catch {
                    log.log("not recording: \(error)")
                }
            }
            let session = try LocalPlaySession(game: game, tickRate: settings.tickRate, skill: botSkill,
                                               botSeed: seed ^ 0x5EED_B075, recorder: recorder)
            self.session = session
            _ = session.advance(now: now)
            log.log("match started: \(setup.gameName) on \(settings.mapName), \(players.count) players, seed \(seed), replay \(recorder?.path ?? "none")")
            model.matchStarted(title: "\(setup.gameName) on \(settings.mapName)", localSlot: session.localSlot,
                               view: session.view, status: session.status)
            lastDrawnTick = session.status.tick
        } catch {
            log.log("could not start match: \(error)")
            model.matchFailedToStart("\(error)")
        }
    }

    private func startNetworkMatch(_ join: NetworkJoin, title: String, ready: Bool) {
        guard pending == nil else { return }
        joinTried = true
        pendingTitle = title
        ended?.leave()
        ended = nil
        do {
            pending = try NetworkPlaySession(join: join, name: model.playerName, catalog: setup.catalog,
                                             replaysDirectory: replays?.directory, log: log, ready: ready)
        } catch {
            log.log("could not join: \(error)")
            model.matchFailedToStart("\(error)")
        }
    }

    /// Waits for the networked game to begin, then shows it (or says why it could not).
    private func advancePending(_ waiting: NetworkPlaySession, now: Timestamp) -> Bool {
        waiting.refresh()
        let before = model.room
        model.updateNetworkRoom(waiting.room)
        for event in waiting.takeRoomEvents() {
            switch event {
            case .chat(_, let name, let text): model.room?.received(chat: text, from: name)
            case .notice(let text): model.room?.chat.notice(text)
            case .dropped: break
            }
        }
        let roomChanged = model.room != before
        if let failure = waiting.failure {
            log.log("network match failed before starting: \(failure)")
            closeLoopback()
            waiting.leave()
            pending = nil
            model.matchFailedToStart(failure)
            return true
        }
        guard waiting.hasStarted else { return roomChanged }
        pending = nil
        session = waiting
        let status = waiting.status
        log.log("network match started: slot \(waiting.localSlot.index), \(waiting.players.count) players, replay \(status.replayPath ?? "none")")
        model.matchStarted(title: pendingTitle, localSlot: waiting.localSlot,
                           view: waiting.view, status: status)
        lastDrawnTick = status.tick
        return true
    }

    /// Joins the local room's bots once they are up, or plays in process if they cannot start.
    private func advanceLaunch(_ launch: LoopbackLaunch, now: Timestamp) -> Bool {
        switch launch.state {
        case .launching:
            return false
        case .ready(let room):
            launching = nil
            loopback = room
            log.log("loopback: \(room.shells.count) bot peers in room \(room.roomName) at \(room.hostAndPort)")
            // The player readied in the local room already: ready as soon as in.
            startNetworkMatch(NetworkJoin(peers: [room.hostAndPort], room: room.roomName, password: nil, port: 0),
                              title: "\(setup.gameName) on \(launch.settings.mapName)", ready: true)
            if pending == nil { closeLoopback() }
        case .failed(let reason):
            launching = nil
            log.log("loopback bots could not start (\(reason)); playing against in-process bots")
            model.room?.chat.notice("Bot peers could not start on loopback (\(reason)); playing against in-process bots.")
            startLocalMatch(launch.settings, launch.members, now: now)
        }
        return true
    }

    /// Stops the local room's bot peers, if any (without waiting: the UI goes on).
    private func closeLoopback() {
        guard let room = loopback else { return }
        loopback = nil
        Task { await room.close() }
    }
}
