import Bots
import Foundation
import Replay
import Testing
@testable import Lobby
import MeshTransport
import MeshplayCore
@testable import Netplay
import Simulation
import Snake
@testable import TerminalUI

/// Shared test setup: the snake game as the client sees it, a model, and a client on the
/// simulated network in virtual time.
enum Fixtures {
    /// Snake only.
    static let catalog: GameCatalog = {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        return catalog
    }()

    /// Snake as `meshplay play` offers it: the built-in maps (or a map file), the standard
    /// configuration with the room's match length.
    static let setup = GameSetup(
        gameName: "snake",
        mapNames: SnakeMap.builtinNames,
        seats: { name in (try? SnakeMap.load(nameOrPath: name)).map { min($0.spawns.count, SnakeRules.playerLimit) } ?? 0 },
        makeSettings: { roomName, choices in
            let map = try SnakeMap.load(nameOrPath: choices.mapName)
            let config = SnakeConfig.standard(map: map, matchTicks: choices.matchTicks)
            let rules = try SnakeRules(config: config)
            let bytes = config.canonicalBytes
            guard bytes.count <= RoomSettings.maxConfigBytes else {
                throw GameSetupError("map \(map.name) needs \(bytes.count) bytes of configuration; a room carries at most \(RoomSettings.maxConfigBytes)")
            }
            return RoomSettings(name: roomName, game: SnakeRules.identity, map: map.name, configBytes: bytes, playerCap: rules.maxPlayers,
                                tickRate: choices.tickRate, matchLengthTicks: UInt32(choices.matchTicks))
        },
        catalog: catalog
    )

    /// What "create room" offers by default: the open map, three bots, a minute at 12 Hz.
    static let choices = RoomChoices(mapName: "open", bots: 3, matchSeconds: 60, tickRate: 12)

    static func model() -> AppModel {
        AppModel(playerName: "alice", gameName: "snake", mapNames: setup.mapNames, seats: setup.mapNames.map(setup.seats),
                 defaultChoices: choices, defaultHelp: SnakeRules.controls.helpLines)
    }

    /// A client on a fresh simulated network (seeded), recording to `replays` when given.
    /// `service` replaces the simulated network as the client's service (a test's own, wrapping it);
    /// `places` makes the lobby look for rooms (on the simulated network, every hosted room).
    static func client(
        replays: String? = nil, service: ((SimulatedNetplay) -> any NetplayService)? = nil, fallback: (any NetplayService)? = nil,
        places: RoomPlaces? = nil, joinTimeout: TimeSpan = .seconds(30), seed: UInt64 = 7
    ) -> VirtualClient {
        let network = SimulatedNetplay(catalog: catalog, seed: seed)
        let store = replays.flatMap { ReplayStore(requested: $0, environment: [:]) }
        var seeds = SeededRandom(seed: seed)
        let controller = ClientController(model: model(), setup: setup, service: service?(network) ?? network, fallback: fallback,
                                          replays: store, log: FileLog(path: nil), seedSource: { seeds.next() }, places: places,
                                          joinTimeout: joinTimeout)
        return VirtualClient(controller: controller, network: network)
    }

    static func draw(_ scene: some TerminalScene, width: Int = 80, height: Int = 24) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        scene.draw(into: &buffer)
        return buffer
    }

    static func draw(_ model: AppModel, width: Int = 80, height: Int = 24, ascii: Bool = false) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height, asciiOnly: ascii)
        model.draw(into: &buffer)
        return buffer
    }

    /// A snake match as a client shows it: the game at tick `steps` (every player idle) on
    /// `map` with `players`, the local player in slot 0.
    static func match(players: [String] = ["alice", "bot1", "bot2", "bot3"], map: String = "open", tickRate: Int = 12,
                      links: [LinkStatus]? = nil, steps: Int = 0) throws -> (view: GameView, status: MatchStatus, links: [LinkStatus], title: String) {
        let settings = try setup.makeSettings("test", RoomChoices(mapName: map, bots: players.count - 1, matchSeconds: 60, tickRate: tickRate))
        let infos = players.enumerated().map { PlayerInfo(slot: PlayerSlot($0.offset), name: $0.element) }
        let game = try catalog.makeGame(settings.game, config: settings.configBytes, players: infos, seed: 3)
        for _ in 0 ..< steps { game.step(inputs: Array(repeating: .none, count: infos.count)) }
        let status = MatchStatus(
            game: settings.game, localSlot: PlayerSlot(0), players: infos, tick: .zero, tickRate: tickRate, inputDelay: 2,
            isRunning: true, isOver: false, waitingFor: [], stalledFor: .zero, dropped: [], replayPath: nil)
        let defaultLinks = infos.dropFirst().map { LinkStatus(slot: $0.slot, name: $0.name, roundTrip: .milliseconds(20), lossPercent: 0) }
        return (game.view(), status, links ?? defaultLinks, "snake on \(settings.map)")
    }

    /// A model showing a running match (from a local room), as the controller would put it there.
    static func modelInMatch(players: [String] = ["alice", "bot1", "bot2", "bot3"], map: String = "open", steps: Int = 0) throws -> AppModel {
        var model = model()
        model.openLocalRoom(named: "local-test", choices: choices)
        let match = try match(players: players, map: map, steps: steps)
        model.matchStarted(title: match.title, view: match.view, status: match.status, links: match.links, controls: SnakeRules.controls)
        return model
    }

    /// A room as the player's node sees it: `names` in join order, the first the host.
    static func roomStatus(
        _ names: [String], ready: [Bool]? = nil, pings: [Int?]? = nil, localIndex: Int = 0, settings: RoomSettings? = nil
    ) throws -> (room: RoomStatus, peers: [PeerID]) {
        let peers = names.indices.map { PeerID(high: UInt64($0 + 1), low: UInt64($0 + 1)) }
        let members = names.indices.map { index in
            MemberListEntry(
                member: RoomMember(peer: peers[index], joinOrder: UInt32(index), name: names[index], isReady: ready?[index] ?? false,
                                   ping: (pings?[index]).flatMap { $0 }.map { TimeSpan.milliseconds(Int64($0)) }),
                isHost: index == 0)
        }
        let roomSettings = try settings ?? setup.makeSettings("local-test", choices)
        return (RoomStatus(settings: roomSettings, members: members, isHost: localIndex == 0), peers)
    }

    /// A fresh folder under the temporary directory, removed with the returned value.
    static func temporaryFolder(_ prefix: String) throws -> TemporaryFolder { try TemporaryFolder(prefix: prefix) }
}

/// A folder for a test's files, removed when released.
final class TemporaryFolder {
    let path: String

    /// A short path, so a results screen shows it whole.
    init(prefix: String) throws {
        path = NSTemporaryDirectory() + "ui-\(prefix)-" + String(UInt32.random(in: 0 ... .max), radix: 16)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The replay files in the folder, full paths, sorted.
    /// The replays in the folder, once the replay writer's thread has written everything queued.
    var replays: [String] {
        ReplayWriteQueue.shared.drain(timeout: .seconds(10))
        return ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".mpr") }.sorted().map { path + "/" + $0 }
    }
}

/// A ``ClientController`` on the simulated network driven by a virtual clock: keys go in
/// at the current instant, time moves in small steps, and the screen is read as a person
/// would read it. Nothing sleeps; every wait is bounded in virtual time.
///
/// Moving the clock is `async` and yields after every step: a whole match is seconds of CPU,
/// and a test holding a thread of the cooperative pool that long would starve the suite's
/// real-socket tests, whose nodes start and whose polls resume on that pool.
final class VirtualClient {
    let controller: ClientController
    /// The simulated network under the client (bots for it to join are started here).
    let network: SimulatedNetplay
    /// The client's clock.
    private(set) var now = Timestamp.milliseconds(1_000)
    /// The terminal size screens are drawn at.
    var width = 80
    var height = 24
    /// Nodes of the test's own on the network (bots hosting rooms), polled with the client as their runner would.
    private var others: [any NodeHandle] = []

    init(controller: ClientController, network: SimulatedNetplay) {
        self.controller = controller
        self.network = network
    }

    var model: AppModel { controller.model }

    /// A bot node following `plan` on the client's network, run along with the client from now on.
    @discardableResult
    func startBot(plan: BotPlan, via: (any NodeHandle)? = nil, recordingTo directory: String? = nil) -> any NodeHandle {
        let bot = network.startBot(plan: plan, via: via, recordingTo: directory)
        others.append(bot)
        return bot
    }

    /// Presses keys at the current instant (with `step` ms between them, as a person types);
    /// returns false when a key quit the client.
    @discardableResult
    func press(_ keys: Key..., step: Int64 = 10) async -> Bool {
        var keepGoing = true
        for key in keys {
            keepGoing = controller.handle(key, now: now) && keepGoing
            await advance(milliseconds: step)
        }
        return keepGoing
    }

    /// Types `text` at the current instant.
    func type(_ text: String) {
        for key in Key.typing(text) { _ = controller.handle(key, now: now) }
    }

    /// Moves the clock on by `milliseconds`, in steps of `step`.
    func advance(milliseconds: Int64, step: Int64 = 10) async {
        var left = milliseconds
        while left > 0 {
            let span = min(step, left)
            now = now + .milliseconds(span)
            for other in others { _ = other.poll(now: now) }
            _ = controller.advance(now: now)
            left -= span
            await Task.yield()
        }
    }

    /// The screen now.
    var screen: CellBuffer { Fixtures.draw(controller, width: width, height: height) }

    /// Advances (in 10 ms steps) until `condition` holds for the screen, looked at every
    /// `every` ms, at most `seconds` of virtual time; returns whether it held.
    @discardableResult
    func wait(seconds: Int64 = 30, every: Int64 = 10, until condition: (CellBuffer) -> Bool) async -> Bool {
        let deadline = now + .seconds(seconds)
        while now < deadline {
            if condition(screen) { return true }
            await advance(milliseconds: every)
        }
        return condition(screen)
    }

    /// Waits until the screen shows `text`.
    @discardableResult
    func wait(for text: String, seconds: Int64 = 30) async -> Bool { await wait(seconds: seconds) { $0.contains(text) } }

    /// Waits until the model shows `screen` (without drawing every step).
    @discardableResult
    func wait(forScreen screen: AppModel.Screen, seconds: Int64 = 30) async -> Bool {
        let deadline = now + .seconds(seconds)
        while now < deadline, controller.model.screen != screen { await advance(milliseconds: 10) }
        return controller.model.screen == screen
    }
}

/// A failed expectation about a screen shows the screen as text, as a person would see it.
extension CellBuffer: CustomTestStringConvertible {
    public var testDescription: String { "\n" + text + "\n" }
}
