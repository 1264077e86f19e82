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

    /// - Parameters:
    ///   - replays: where matches are recorded; nil records nothing.
    ///   - seedSource: the match seed for each new match (recorded in its replay).
    public init(model: AppModel, setup: GameSetup, replays: ReplayStore?, botSkill: BotSkill = .normal,
                log: FileLog, seedSource: @escaping () -> UInt64 = { UInt64.random(in: 1 ... UInt64.max) }) {
        self.model = model
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
                session?.sendChat(text)
            case .leaveMatch:
                session?.leave()
                session = nil
            }
        }
        return keepGoing
    }

    public func advance(now: Timestamp) -> Bool {
        guard let session else { return false }
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
            case .finished, .failed: self.session = nil
            default: break
            }
        }
        return changed
    }

    public func nextDeadline(after now: Timestamp) -> Timestamp {
        session?.nextDeadline(after: now) ?? now + .seconds(1)
    }

    public func draw(into buffer: inout CellBuffer) { model.draw(into: &buffer) }

    public func shutdown() {
        session?.leave()
        session = nil
    }

    private func startMatch(_ settings: RoomSettings, _ members: [RoomMember], now: Timestamp) {
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
}
