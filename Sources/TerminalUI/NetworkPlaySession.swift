import Bots
import Foundation
import MeshTransport
import MeshplayCore
import NIOCore

/// Where `meshplay play` joins a networked room: `--peer`, `--room`, `--password`, `--port`.
public struct NetworkJoin: Sendable {
    /// Mesh members to join through, as `HOST:PORT`.
    public var peers: [String]
    /// The room to join.
    public var room: String
    /// The room password.
    public var password: String?
    /// The local UDP port (0 picks one).
    public var port: Int
    /// With no `peers`: the rendezvous node to find the mesh at (`--resolver`), `HOST:PORT`.
    public var resolver: String?
    /// With no `peers`: listen for the mesh on the LAN.
    public var searchLAN: Bool

    public init(peers: [String], room: String, password: String?, port: Int, resolver: String? = nil, searchLAN: Bool = false) {
        self.peers = peers
        self.room = room
        self.password = password
        self.port = port
        self.resolver = resolver
        self.searchLAN = searchLAN
    }

    /// Where the join looks, for the room screen ("127.0.0.1:4000", "the LAN", "resolver 10.0.0.1:47000").
    public var whereDescription: String {
        if !peers.isEmpty { return peers.joined(separator: ", ") }
        return [resolver.map { "resolver \($0)" }, searchLAN ? "the LAN" : nil].compactMap { $0 }.joined(separator: " and ")
    }
}

/// A networked match as a ``PlaySession``: the human plays through a ``HumanSeat`` in a
/// `BotPeer` that runs over real UDP on NIO's event loop (a `UDPBotShell`).
///
/// The UI thread never touches the peer: steering and chat go into the seat, and each
/// frame reads the seat's lock-protected snapshot and drains its events. Until the
/// game starts the session is pending (``hasStarted`` is false).
public final class NetworkPlaySession: PlaySession {
    /// The hand-over point with the event loop.
    public let seat: HumanSeat
    private let shell = LockedShell()
    private var reportedEnd = false
    private var left = false
    private var latest = HumanSeatSnapshot()
    /// Players dropped from the game so far (slot indices).
    private var droppedSlots: [Int] = []

    /// Binds a UDP node on `port` (loopback when every peer is on loopback) and starts joining `join.room` through `join.peers`
    /// as `name`. Returns at once; the node comes up on the event loop.
    /// `ready`: whether to say ready as soon as the peer is in the room (else ``setReady(_:)`` does).
    public init(join: NetworkJoin, name: String, catalog: GameCatalog, replaysDirectory: String?, log: FileLog,
                ready: Bool = false) throws {
        seat = HumanSeat(ready: ready)
        let bootstrap = try join.peers.map { text -> SocketAddress in
            // The same HOST:PORT rules as the command line and the lobby's rows ([::1]:PORT for IPv6).
            guard let hostPort = try? HostPort(parsing: text) else { throw GameSetupError("--peer must be HOST:PORT, got \(text)") }
            return try hostPort.socketAddress()
        }
        let plan = BotPlan(name: name, role: .join(room: join.room), password: join.password,
                           recordDirectory: replaysDirectory, linger: .seconds(1))
        let seat = self.seat
        let shell = self.shell
        let members: @Sendable () async throws -> [SocketAddress]
        if bootstrap.isEmpty {
            let searcher = try Self.searcher(for: join)
            members = { try await Self.find(join, with: searcher, log: log) }
        } else {
            members = { bootstrap }
        }
        Task {
            do {
                let members = try await members()
                let host = members.allSatisfy { $0.ipAddress == "127.0.0.1" } ? "127.0.0.1" : "0.0.0.0"
                let launched = try await UDPBotShell.launch(host: host, port: join.port, plan: plan, bootstrap: members,
                                                            catalog: catalog, seat: seat)
                log.log("network: listening on \(launched.localAddress), joining room \(join.room)")
                if shell.set(launched) { await launched.close() }
            } catch {
                log.log("network: could not start: \(error)")
                shell.fail("\(error)")
            }
        }
    }

    /// How a join without `--peer` finds the mesh: the rendezvous node and/or the LAN.
    private static func searcher(for join: NetworkJoin) throws -> ResolverChain {
        var chain: [any MeshResolver] = []
        if let resolver = join.resolver {
            guard let server = try? HostPort(parsing: resolver).socketAddress() else { throw GameSetupError("--resolver must be HOST:PORT, got \(resolver)") }
            chain.append(RendezvousClient(server: server))
        }
        if join.searchLAN { chain.append(LANDiscovery()) }
        guard !chain.isEmpty else { throw GameSetupError("nowhere to look for room \(join.room): give --peer, --resolver or search the LAN") }
        return ResolverChain(chain)
    }

    /// Asks until some member of the mesh is found, for 30 s at most.
    private static func find(_ join: NetworkJoin, with searcher: ResolverChain, log: FileLog) async throws -> [SocketAddress] {
        let deadline = ContinuousClock.now + .seconds(30)
        repeat {
            let found = (try? await searcher.resolve(meshName: UDPBotShell.lobbyMeshName)) ?? []
            if !found.isEmpty {
                log.log("network: found \(found.count) mesh member(s) at \(join.whereDescription)")
                return found
            }
            try await Task.sleep(for: .seconds(1))
        } while ContinuousClock.now < deadline
        throw GameSetupError("no mesh member found at \(join.whereDescription) within 30 s")
    }

    /// Whether the game has begun here (before that the room screen stays up).
    public var hasStarted: Bool { latest.view != nil }

    /// Why the session cannot go on before or during the game, if it cannot.
    public var failure: String? {
        if let error = shell.failure { return "network: \(error)" }
        if case .failed(let reason) = latest.phase { return reason }
        return nil
    }

    /// Reads the newest snapshot (call once a frame while pending).
    public func refresh() { latest = seat.snapshot }

    /// The room as its members see it, once the peer is in (as of the last ``refresh()``).
    public var room: HumanSeatSnapshot.Room? { latest.room }

    /// Tells the room whether the player is ready (the host starts when everyone is).
    public func setReady(_ ready: Bool) { seat.setReady(ready) }

    /// Room chat and notices since the last call, for the room screen before the game;
    /// chat lines are made safe for the terminal here.
    public func takeRoomEvents() -> [HumanSeatEvent] {
        seat.takeEvents().map { event in
            switch event {
            case .chat(let slot, let name, let text): .chat(slot: slot, name: ChatText.forDisplay(name), text: ChatText.forDisplay(text))
            case .dropped(let slot, let name): .dropped(slot: slot, name: ChatText.forDisplay(name))
            case .notice(let text): .notice(ChatText.forDisplay(text))
            }
        }
    }

    public var localSlot: PlayerSlot { latest.localSlot }
    public var players: [PlayerInfo] { latest.players }

    public func localInput(_ input: PlayerInput) { seat.steer(input) }

    public func sendChat(_ text: String) {
        let clean = ChatText.forDisplay(text)
        if !clean.isEmpty { seat.say(clean) }
    }

    public func advance(now: Timestamp) -> [SessionEvent] {
        latest = seat.snapshot
        var events: [SessionEvent] = seat.takeEvents().map { event in
            switch event {
            case .chat(let slot, let name, let text):
                .chat(from: slot ?? localSlot, name: ChatText.forDisplay(name), text: ChatText.forDisplay(text))
            case .dropped(let slot, let name):
                .playerLeft(slot, name: ChatText.forDisplay(name), reason: "dropped")
            case .notice(let text):
                .notice(text)
            }
        }
        for case .playerLeft(let slot, _, _) in events where !droppedSlots.contains(slot.index) { droppedSlots.append(slot.index) }
        guard !reportedEnd else { return events }
        if let alone = aloneReason() {
            // Nobody left to play with: end the match here, with the scores so far, and leave.
            reportedEnd = true
            seat.requestLeave()
            let view = latest.view ?? GameView(width: 0, height: 0, cells: [], scoreboard: [], status: "")
            var outcome = Self.outcome(of: view)
            outcome.reason = alone
            events.append(.finished(outcome, replayPath: latest.replayPath))
        } else if let failure {
            reportedEnd = true
            events.append(.failed(failure))
        } else if latest.phase == .over, let view = latest.view {
            reportedEnd = true
            shell.closeWhenDone()
            events.append(.finished(latest.outcome ?? Self.outcome(of: view), replayPath: latest.replayPath))
        }
        return events
    }

    /// Why the match cannot go on, when every other player has been dropped from a running
    /// game: the links tell a lost network (none answers) from players who left.
    private func aloneReason() -> String? {
        guard latest.phase == .playing, latest.players.count > 1,
              latest.players.allSatisfy({ $0.slot == localSlot || droppedSlots.contains($0.slot.index) })
        else { return nil }
        let noneAnswers = latest.links.allSatisfy { $0.pingMilliseconds == nil }
        return noneAnswers ? "network lost, no other player answers" : "every other player left"
    }

    public func nextDeadline(after now: Timestamp) -> Timestamp {
        let period = latest.tickRate > 0 ? TimeSpan(nanoseconds: 1_000_000_000 / Int64(latest.tickRate)) : .milliseconds(50)
        return now + min(period / 2, .milliseconds(50))
    }

    public var view: GameView { latest.view ?? GameView(width: 0, height: 0, cells: [], scoreboard: [], status: "") }

    public var status: SessionStatus {
        let peers = latest.links.map {
            PeerStatus(slot: $0.slot, name: ChatText.forDisplay($0.name), pingMilliseconds: $0.pingMilliseconds,
                       lossPercent: $0.lossPercent, isLocal: false)
        }
        return SessionStatus(tick: latest.tick, tickRate: latest.tickRate, inputDelay: latest.inputDelay, peers: peers,
                             waitingFor: latest.waitingFor.map { ChatText.forDisplay($0) },
                             stalledMilliseconds: latest.stalledMilliseconds, isLocal: false, replayPath: latest.replayPath)
    }

    /// Asks the peer to leave the room and the mesh, gives the loop a moment to send the
    /// goodbye, then closes the socket. After a finished game it first waits (a few seconds
    /// at most) for the peer to close its replay and leave by itself.
    public func leave() {
        guard !left else { return }
        left = true
        seat.requestLeave()
        if seat.snapshot.phase == .over, let launched = shell.current {
            let done = DispatchSemaphore(value: 0)
            launched.finished.whenComplete { _ in done.signal() }
            _ = done.wait(timeout: .now() + 4)
        } else {
            usleep(150_000)
        }
        if let launched = shell.close() { Task { await launched.close() } }
    }

    /// A match that ran out its ticks without the game calling it: placed by score.
    static func outcome(of view: GameView) -> GameOutcome {
        let sorted = view.scoreboard.sorted { $0.score > $1.score }
        let placings = sorted.map { line in
            GameOutcome.Placing(slot: line.slot, score: line.score, place: 1 + sorted.filter { $0.score > line.score }.count)
        }
        let winner = placings.filter { $0.place == 1 }.count == 1 ? placings.first?.slot : nil
        return GameOutcome(placings: placings, winner: winner, reason: "time up")
    }
}

/// The shell once it is up, shared between the launching task and the UI thread.
private final class LockedShell: @unchecked Sendable {
    private let lock = NSLock()
    private var shell: UDPBotShell?
    private var closed = false
    private var error: String?

    /// Stores the shell; true when the session already closed (the caller closes it then).
    func set(_ launched: UDPBotShell) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if closed { return true }
        shell = launched
        return false
    }

    func fail(_ message: String) {
        lock.lock()
        defer { lock.unlock() }
        error = message
    }

    var failure: String? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    /// The shell, if it is up and not closed.
    var current: UDPBotShell? {
        lock.lock()
        defer { lock.unlock() }
        return shell
    }

    /// Closes the shell once its peer is done (it leaves by itself after a finished game).
    func closeWhenDone() {
        guard let launched = current else { return }
        launched.finished.whenComplete { _ in Task { await launched.close() } }
    }

    /// Marks the session closed and hands back the shell to close, if it was up.
    func close() -> UDPBotShell? {
        lock.lock()
        defer { lock.unlock() }
        closed = true
        defer { shell = nil }
        return shell
    }
}
