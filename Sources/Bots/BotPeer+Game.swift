import Foundation
import Lobby
import Lockstep
import MeshTransport
import MeshplayCore
import Replay

/// The game a ``BotPeer`` is playing: its lockstep driver, what started it and where it is recorded.
struct BotGame<Address: MeshAddress> {
    var peer: MeshGamePeer<Address, SimPeerRecorder>
    var start: GameStart
    var replayPath: String?
    /// Past this the game counts as failed (it stalled for good).
    var deadline: Timestamp
    /// Set once the game is over here: resends continue until then.
    var lingerUntil: Timestamp?
    /// How many of the peer's events a ``HumanSeat`` has been shown.
    var seatEventCursor = 0
}

extension BotPeer {
    /// Sets up the game of `start` (at the countdown, so the links warm up first).
    func prepareGame(_ start: GameStart, at now: Timestamp) {
        do {
            let game = try catalog.makeGame(start.game, config: start.configBytes, players: start.playerInfos, seed: start.seed)
            var seeds = SeededRandom(seed: start.seed ^ plan.seed ^ UInt64(start.localSlot.index))
            let brain = game.makeBot(slot: start.localSlot, seed: seeds.next(), skill: plan.skill)
            let configuration = MeshGamePeerConfiguration(tickRate: start.tickRate)
            let path = plan.recordDirectory.map { "\($0)/\(Self.fileName(start.roomName))-r\(start.round)-g\(results.count + 1)-slot\(start.localSlot.index)-\(Self.fileName(plan.name)).mpr" }
            let replay = try path.map {
                try ReplayLockstepRecorder(
                    writer: ReplayFileWriter(path: $0, mode: .replace, configuration: .init(flushIntervalTicks: start.tickRate)),
                    game: game, localSlot: start.localSlot, ticksPerSecond: start.tickRate,
                    checkpointInterval: configuration.checksumInterval)
            }
            let ticks = start.matchLengthTicks == 0 ? Int(Int32.max) : Int(start.matchLengthTicks)
            let peer = MeshGamePeer<Address, SimPeerRecorder>(
                slot: start.localSlot, peerIDs: start.players.map(\.peer), game: game, recorder: SimPeerRecorder(replay: replay),
                configuration: configuration, tickLimit: ticks, input: { [seat] game in seat?.nextInput() ?? brain.nextInput(in: game) })
            peer.beginWarmUp(at: now)
            let expected = configuration.tickPeriod * Int64(min(ticks, 1_000_000))
            currentGame = BotGame(peer: peer, start: start, replayPath: path, deadline: start.startsAt + expected * 4 + .seconds(60))
        } catch {
            status = .failed(.gameSetup("\(error)"))
        }
    }

    /// Once the game is over here and the linger has passed (or it stalled past its
    /// deadline): closes the replay, records the result, reports the end to the room,
    /// and leaves after the last game.
    func finishGameIfOver(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        guard var current = currentGame else { return }
        if current.peer.isFinished, current.lingerUntil == nil {
            current.lingerUntil = now + plan.linger
            currentGame = current
        }
        let timedOut = now >= current.deadline
        guard timedOut || (current.lingerUntil.map { now >= $0 } ?? false) else { return }
        let result = Self.result(of: current, timedOut: timedOut)
        current.peer.loop?.recorder.replay?.finish(game: current.peer.game)
        results.append(result)
        currentGame = nil
        perform(room.finishGame(GameResult(outcome: current.peer.game.outcome, replayPath: current.replayPath), at: now), endpoint: &endpoint, at: now)
        if results.count >= plan.games { leave(endpoint: &endpoint, at: now) }
    }

    static func result(of current: BotGame<Address>, timedOut: Bool) -> BotGameResult {
        let peer = current.peer
        let slot = current.start.localSlot
        var failures: [String] = []
        let desyncs = peer.events.filter { if case .desync = $0 { true } else { false } }.count
        let dropped = peer.events.compactMap { if case .dropped(let s, _) = $0 { s.index } else { nil } }
        if timedOut { failures.append("the game did not finish in time (tick \(peer.game.tick))") }
        if desyncs > 0 {
            let dump = peer.loop?.recorder.replay?.desyncDumpPath.map { ", state dump in \($0)" } ?? ""
            failures.append("\(desyncs) desync events\(dump)")
        }
        if dropped.contains(slot.index) { failures.append("this bot was dropped by the others") }
        if peer.loop == nil { failures.append("the game never started here") }
        if let error = peer.loop?.recorder.replay?.failure { failures.append("replay: \(error)") }
        if peer.game.outcome == nil, Int(peer.game.tick.rawValue) < peer.tickLimit, failures.isEmpty {
            failures.append("stopped at tick \(peer.game.tick) of \(peer.tickLimit)")
        }
        return BotGameResult(
            room: current.start.roomName, slot: slot.index, ticks: Int(peer.game.tick.rawValue), finalChecksum: peer.game.checksum(),
            stallTicks: peer.stats?.stallTicks ?? 0, frames: peer.stats?.tickCalls ?? 0, droppedPlayers: dropped,
            desyncs: desyncs, replayPath: current.replayPath, failures: failures)
    }

    /// A name made safe for a file name.
    static func fileName(_ text: String) -> String {
        String(text.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
    }
}
