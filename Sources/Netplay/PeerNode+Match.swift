import Attestation
import Lobby
import Lockstep
import MeshTransport
import MeshplayCore

extension PeerNode {
    // MARK: Starting

    /// Sets up the match of `start` and warms its links up (at the countdown, so the links
    /// are measured before the first tick). A simulation that seats everyone itself calls it
    /// directly, then ``beginMatch(at:endpoint:into:)`` once every node ``isWarm``.
    /// `endpoint` lends the keys the links' handshakes proved, for seats the mesh has no record of yet.
    public mutating func prepareMatch(
        _ start: GameStart, at now: Timestamp, endpoint: MeshEndpoint<Address>? = nil, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        let game: any RunningGame
        do {
            game = try catalog.makeGame(start.game, config: start.configBytes, players: start.playerInfos, seed: start.seed)
        } catch {
            failure = "could not set up the game: \(error)"
            emit(.matchFailed("could not set up the game: \(error)"), into: &output)
            return
        }
        input.matchStarted(game, slot: start.localSlot, seed: start.seed ^ inputSeed ^ UInt64(start.localSlot.index))
        var configuration = self.configuration.match
        configuration.tickRate = start.tickRate
        var recording: (any MatchRecording)?
        var problem: String?
        let plan = attestationPlan(for: start, checkpointInterval: configuration.checksumInterval, endpoint: endpoint)
        if let recorders {
            do {
                recording = try recorders.makeRecording(
                    for: start, game: game, number: matchesPlayed + 1, checkpointInterval: configuration.checksumInterval,
                    attestation: plan)
            } catch {
                problem = "not recorded: \(error)"
                emit(.notice("This match is not recorded: \(error)."), into: &output)
            }
        }
        let ticks = start.matchLengthTicks == 0 ? Int(Int32.max) : Int(start.matchLengthTicks)
        var core = MatchCore(
            slot: start.localSlot, peerIDs: start.players.map(\.peer), game: game,
            recorder: NodeRecorder(
                recording: recording, keepsTally: self.configuration.keepsTally,
                history: MatchHistory(
                    game: game, localSlot: start.localSlot, tickRate: start.tickRate, checkpointInterval: configuration.checksumInterval,
                    attestation: plan)),
            configuration: configuration, tickLimit: ticks,
            attestor: Attestor(plan: plan, localSlot: start.localSlot, game: start.game, engineVersion: MeshplayVersion.engine) {
                [identity] in identity.sign($0)
            })
        core.beginWarmUp(at: now)
        let expected = configuration.tickPeriod * Int64(min(ticks, 1_000_000))
        current = CurrentMatch(
            core: core, start: start, deadline: start.startsAt + expected * 4 + self.configuration.matchOverrun, recordingProblem: problem)
    }

    /// Every seat's signing key as the mesh knows it (all zero when it does not: that seat's
    /// signatures are then never trusted) and the interval every peer derives alike.
    func attestationPlan(for start: GameStart, checkpointInterval: Int, endpoint: MeshEndpoint<Address>?) -> AttestationPlan {
        let keys = start.players.map { player in
            (mesh.membership.publicKey(of: player.peer) ?? endpoint?.publicKey(of: player.peer)).map { Array($0.rawRepresentation) }
                ?? Array(repeating: 0, count: AttestationStatement.publicKeySize)
        }
        return AttestationPlan(
            interval: AttestationPlan.interval(tickRate: start.tickRate, checkpointInterval: checkpointInterval), publicKeys: keys)
    }

    /// Whether the match being prepared has measured every link enough to choose its input lead.
    public var isWarm: Bool { current?.core.isWarm ?? false }

    /// Starts a match prepared with ``prepareMatch(_:at:into:)`` at `now` (every peer at the same instant).
    public mutating func beginMatch(at now: Timestamp, endpoint: MeshEndpoint<Address>, into output: inout CoreOutput<Address, NodeEvent>) {
        guard let start = current?.start else { return }
        current!.core.start(at: now, endpoint: endpoint)
        emit(.matchStarted(slot: start.localSlot, players: start.playerInfos, game: start.game), into: &output)
    }

    /// The match being played here, if any: its lockstep figures, game and recorder.
    public var match: MatchCore? { current?.core }

    /// Whether this node's match is over here (played out, ended, or halted).
    public var isMatchFinished: Bool { current?.core.isFinished ?? false }

    /// The tick this node's match simulates next, while it plays one.
    public var matchTick: Tick? { current?.core.game.tick }

    // MARK: Playing

    mutating func pollMatch(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        guard current != nil else { return }
        var happened: [LockstepEvent] = []
        var source = input
        current!.core.poll(at: now, endpoint: &endpoint, events: &happened) { source.nextInput(in: $0) }
        input = source
        report(happened, into: &output)
    }

    /// Turns what the match reported into node events.
    mutating func report(_ events: [LockstepEvent], into output: inout CoreOutput<Address, NodeEvent>) {
        guard !events.isEmpty, let match = current else { return }
        let players = match.start.playerInfos
        let name = { (slot: PlayerSlot) in players.indices.contains(slot.index) ? players[slot.index].name : "player \(slot.index)" }
        for event in events {
            switch event {
            case .chat(let slot, let text, _):
                emit(.chat(NodeChatLine(name: name(slot), text: ChatText.sanitize(text), slot: slot, isOwn: slot == match.core.slot)), into: &output)
            case .dropped(let slot, _):
                if !current!.dropped.contains(slot.index) { current!.dropped.append(slot.index) }
                if slot == match.core.slot, current!.endReason == nil { current!.endReason = "dropped by the other players" }
                emit(.playerDropped(slot: slot, name: name(slot)), into: &output)
            case .rejoined(let slot, _):
                current!.dropped.removeAll { $0 == slot.index }
                emit(.playerRejoined(slot: slot, name: name(slot)), into: &output)
            case .desync(let desync):
                emit(.notice("The peers disagree: \(desync)."), into: &output)
            case .lostMajority(let tick, _):
                // The other side of the split plays on; this side's game ends at the tick it names.
                let reason = match.core.stopReason ?? "lost contact with the majority"
                if current!.endReason == nil { current!.endReason = reason }
                emit(.notice("This match ended at tick \(tick): \(reason)."), into: &output)
            }
        }
    }

    /// Ends a match that has nobody left to play with, and closes a finished one once its
    /// linger (or its deadline) has passed. Runs on every call: it reads the match in place.
    mutating func checkMatch(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        guard current != nil else { return }
        if configuration.endsMatchWhenAlone, current!.endReason == nil, current!.core.phase == .playing, isAlone(endpoint: endpoint) {
            // Every other player is gone: those who said goodbye left; silence with no link answering is a lost network.
            let left = othersSaidGoodbye() || othersAnswer(endpoint: endpoint)
            current!.endReason = left ? "every other player left" : "network lost, no other player answers"
            current!.lingerUntil = now
        }
        if current!.lingerUntil == nil, current!.core.isFinished {
            current!.lingerUntil = now + configuration.linger
            // Spectators see the end now, not when the linger is over.
            current!.core.finishHistory(endedEarly: Self.earlyEnding(of: current!, timedOut: false))
            pumpFeeds(endpoint: &endpoint, unbounded: true)
        }
        let timedOut = now >= current!.deadline
        guard timedOut || (current!.lingerUntil.map { now >= $0 } ?? false) else { return }
        let leaveAfter = current!.leaveAfter
        endMatch(endpoint: &endpoint, at: now, into: &output, timedOut: timedOut)
        if leaveAfter { leave(endpoint: &endpoint, at: now, into: &output) }
    }

    /// Whether every other player of the match was dropped.
    private func isAlone(endpoint: MeshEndpoint<Address>) -> Bool {
        guard let match = current, match.core.peerIDs.count > 1, match.dropped.count >= match.core.peerIDs.count - 1 else { return false }
        let local = match.core.slot.index
        return match.core.peerIDs.indices.allSatisfy { $0 == local || match.dropped.contains($0) }
    }

    /// Whether every other player of the match left the mesh on purpose.
    private func othersSaidGoodbye() -> Bool {
        guard let match = current else { return false }
        return match.core.peerIDs.enumerated().allSatisfy { index, peer in index == match.core.slot.index || departed.contains(peer) }
    }

    /// Whether any other player's link still answers (has a round trip and an address).
    private func othersAnswer(endpoint: MeshEndpoint<Address>) -> Bool {
        guard let match = current else { return false }
        return match.core.peerIDs.enumerated().contains { index, peer in
            index != match.core.slot.index && endpoint.stats(for: peer)?.smoothedRTT != nil && endpoint.address(of: peer) != nil
        }
    }

    /// Closes the recording with a trailer (a match ended early still verifies, as far as it
    /// went), tells the room, and reports how the match went.
    mutating func endMatch(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>, timedOut: Bool) {
        guard let match = current else { return }
        let report = Self.report(of: match, timedOut: timedOut)
        let endedEarly = Self.earlyEnding(of: match, timedOut: timedOut)
        match.core.recorder?.recording?.finish(game: match.core.game, endedEarly: endedEarly)
        // Subscribers get the whole history, trailer included, before the match is let go.
        current!.core.finishHistory(endedEarly: endedEarly)
        pumpFeeds(endpoint: &endpoint, unbounded: true)
        subscribers = []
        current = nil
        matchesPlayed += 1
        wantsReady = false
        readySent = nil
        perform(room.finishGame(GameResult(outcome: report.outcome, replayPath: report.replayPath), at: now),
                endpoint: &endpoint, at: now, into: &output)
        emit(.matchEnded(report), into: &output)
    }

    /// Why a match stopped before its game called it, for the replay's end record; nil when played out.
    static func earlyEnding(of match: CurrentMatch, timedOut: Bool) -> String? {
        guard !match.core.isPlayedOut else { return nil }
        if let reason = match.endReason { return reason }
        return timedOut ? "the match did not finish in time" : "stopped"
    }

    static func report(of match: CurrentMatch, timedOut: Bool) -> MatchReport {
        let core = match.core
        let game = core.game
        let slot = core.slot
        var failures: [String] = []
        let desyncs = core.notableEvents.filter { if case .desync = $0 { true } else { false } }.count
        let recording = core.recorder?.recording
        if timedOut { failures.append("the game did not finish in time (tick \(game.tick))") }
        if desyncs > 0 {
            let dump = recording?.desyncDumpPath.map { ", state dump in \($0)" } ?? ""
            failures.append("\(desyncs) desync events\(dump)")
        }
        if match.dropped.contains(slot.index) { failures.append("this player was dropped by the others") }
        if core.loop == nil { failures.append("the game never started here") }
        if let problem = recording?.failure { failures.append("replay: \(problem)") }
        let playedOut = core.isPlayedOut
        if !playedOut, failures.isEmpty, match.endReason == nil {
            failures.append("stopped at tick \(game.tick) of \(core.tickLimit)")
        }
        var outcome = game.outcome ?? Self.placings(of: game.view(), reason: playedOut ? "time up" : "stopped at tick \(game.tick)")
        if game.outcome == nil, let reason = match.endReason { outcome.reason = reason }
        return MatchReport(
            room: match.start.roomName, slot: slot, players: match.start.playerInfos, outcome: outcome,
            completed: playedOut && failures.isEmpty, ticks: Int(game.tick.rawValue), finalChecksum: game.checksum(),
            stallTicks: core.stats?.stallTicks ?? 0, frames: core.stats?.tickCalls ?? 0, droppedPlayers: match.dropped,
            desyncs: desyncs, replayPath: recording?.path, failures: failures)
    }

    /// A match stopped without the game calling it: placed by score (ties share a place, no winner).
    static func placings(of view: GameView, reason: String) -> GameOutcome {
        let sorted = view.scoreboard.sorted { ($0.score, $1.slot) > ($1.score, $0.slot) }
        let placings = sorted.map { line in
            GameOutcome.Placing(slot: line.slot, score: line.score, place: 1 + sorted.filter { $0.score > line.score }.count)
        }
        let winner = placings.filter { $0.place == 1 }.count == 1 ? placings.first?.slot : nil
        return GameOutcome(placings: placings, winner: winner, reason: reason)
    }
}
