import Attestation
import Lobby
import Lockstep
import MeshTransport
import MeshplayCore
import Replay

/// Watching a running match, and taking a dropped seat again: the node's two sides of a
/// watch feed (`WatchMessage`).
///
/// Feeding: a player of the running match sends a subscriber its ``MatchHistory`` from the
/// start and as it grows. A spectator is served only within this player's share of the
/// room's ``maxSpectators`` (`⌈32 / players⌉`), so a room takes at most 32 spectators plus a
/// returning player per seat, and each costs its feeder the history's bytes: the match's
/// inputs as the replay encodes them, a block every fifth of a second (a few hundred bytes a
/// second for 8 players; `meshplay sim --spectators N --json` measures it). A subscriber
/// whose peer id holds a dropped seat may ask for it back (`seatMe`); the feeder then puts a
/// seat request in its own command stream (`LockstepSession+Rejoin`).
///
/// Watching: a node subscribes to one player, checks everything the feed says (see
/// ``WatchFeed``), records what it watches, and shows the game a delay behind the feed. A
/// returning node catches up at once; once more than half of the other players still seated
/// have attested a tick of the history (or the match is younger than one attestation interval),
/// it asks for its seat, and takes it at the tick its feeder announces. A feed that does not
/// hold is dropped and the next player in seat order asked.
extension PeerNode {
    /// The most spectators a room takes (each player serves its share).
    public static var maxSpectators: Int { 32 }

    /// One node this player feeds.
    struct FeedSubscriber: Sendable {
        var peer: PeerID
        /// History bytes sent so far.
        var sent = 0
        /// The dropped seat the subscriber holds and may take again (nil: a spectator).
        var seat: PlayerSlot?
        /// Whether it asked for its seat (a request is in our command stream).
        var seatAsked = false
    }

    /// This node watching a match (or catching up to take its seat again).
    struct Watching {
        var feed: WatchFeed
        /// The fed match, until a returning node takes its seat (then it is `current`).
        var core: MatchCore?
        /// The seat this node takes again, or nil for a spectator.
        var seat: PlayerSlot?
        /// How far behind the feed the game is shown (spectators).
        var delay: TimeSpan
        /// Feeders asked so far (a refused or forged feed is not asked again).
        var asked: [PeerID]
        var seatAsked = false
        /// The tick the seat is taken again from, once the feeder announced it.
        var seatTick: Tick?
        var finished = false
        /// Slots the feed said left (and did not come back), in slot order.
        var leftSlots: [PlayerSlot] = []
        /// Past this with no readable history, the feed counts as failed.
        var startDeadline: Timestamp
        /// The room's name, for the recording's file name.
        var roomName: String?
        /// Past this, a seat announced but never reached (the history stopped short of it) is given up.
        var seatDeadline: Timestamp?
        /// Whether the feed's return of our own seat (at the seat tick) was applied: only then
        /// does our session take over (it must start from the same state as everyone's).
        var sawOwnReturn = false
    }

    // MARK: Subscribing

    /// Starts watching the running match `feeder` plays, `delay` behind it.
    public mutating func watchMatch(
        from feeder: PeerID, delay: TimeSpan, roomName: String? = nil, endpoint: inout MeshEndpoint<Address>, at now: Timestamp,
        into output: inout CoreOutput<Address, NodeEvent>
    ) {
        watching = Watching(feed: WatchFeed(feeder: feeder), seat: nil, delay: delay, asked: [feeder], startDeadline: now + Self.feedStartTimeout)
        watching!.roomName = roomName
        _ = endpoint.sendReliable(WatchMessage.subscribe(rejoin: false).bytes, channel: WatchMessage.channel, to: feeder)
    }

    /// Starts taking this node's dropped seat again in the match `feeder` plays.
    public mutating func rejoinMatch(
        from feeder: PeerID, roomName: String? = nil, endpoint: inout MeshEndpoint<Address>, at now: Timestamp,
        into output: inout CoreOutput<Address, NodeEvent>
    ) {
        watching = Watching(feed: WatchFeed(feeder: feeder), seat: nil, delay: .zero, asked: [feeder], startDeadline: now + Self.feedStartTimeout)
        watching!.roomName = roomName
        // The seat is known once the feed names the seats; until then any non-nil marks "rejoining".
        watching!.seat = PlayerSlot(0)
        _ = endpoint.sendReliable(WatchMessage.subscribe(rejoin: true).bytes, channel: WatchMessage.channel, to: feeder)
    }

    /// How long a returning node waits, after its seat was announced, for the history to reach it.
    static var seatTimeout: TimeSpan { .seconds(30) }

    /// How long a subscription may go without a readable history before it counts as failed.
    static var feedStartTimeout: TimeSpan { .seconds(20) }

    /// The match this node watches (a spectator's), if any.
    public var watchedMatch: MatchCore? { watching?.core }

    /// Whether the watched match has been shown to its end.
    public var isWatchFinished: Bool { watching?.finished ?? false }

    /// Why watching (or rejoining) failed, if it did.
    public var watchProblem: String? { watching?.feed.problem }

    /// The feed's history received so far, in bytes.
    public var watchBytesReceived: Int { watching?.feed.received ?? 0 }

    /// A message from a feeder.
    mutating func receiveFeed(
        _ message: WatchMessage, from peer: PeerID, endpoint: inout MeshEndpoint<Address>, at now: Timestamp,
        into output: inout CoreOutput<Address, NodeEvent>
    ) {
        guard watching != nil, watching!.feed.feeder == peer else { return }
        if case .seated(let tick, let due) = message {
            takeSeat(atTick: Tick(tick), dueTick: Int(due), endpoint: &endpoint, at: now, into: &output)
            return
        }
        if watching!.feed.receive(message, at: now) { setUpWatchedGame(at: now, into: &output) }
        advanceWatch(endpoint: &endpoint, at: now, into: &output)
    }

    /// The feed's header is readable: makes the game and its recording.
    private mutating func setUpWatchedGame(at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        guard let header = watching?.feed.header, let seats = watching?.feed.seats else { return }
        let rejoining = watching!.seat != nil
        let mySlot = seats.firstIndex(of: peerID).map(PlayerSlot.init)
        if rejoining {
            guard let mySlot else {
                watching!.feed.refuse("this node holds no seat in that match")
                return
            }
            watching!.seat = mySlot
        }
        let game: any RunningGame
        do {
            game = try catalog.makeGame(header.game, config: header.config, players: header.players, seed: header.seed)
        } catch {
            watching!.feed.refuse("cannot set up the game: \(error)")
            return
        }
        let slot = watching!.seat ?? PlayerSlot(0)
        let start = GameStart(
            roomName: watching!.roomName ?? "watched", game: header.game, configBytes: header.config, map: "", seed: header.seed,
            seedDigest: [], players: zip(header.players, seats).map { SeatedPlayer(info: $0, peer: $1) }, localSlot: slot,
            tickRate: header.ticksPerSecond, matchLengthTicks: 0, firstTick: .zero, startsAt: now, round: watching!.feed.round)
        var recording: (any MatchRecording)?
        if let recorders {
            do {
                recording = rejoining
                    ? try recorders.makeRecording(
                        for: start, game: game, number: matchesPlayed + 1, checkpointInterval: header.checkpointInterval,
                        attestation: header.attestation)
                    : try recorders.makeWatchRecording(
                        for: start, game: game, number: matchesPlayed + 1, checkpointInterval: header.checkpointInterval,
                        attestation: header.attestation)
            } catch {
                emit(.notice("This match is not recorded: \(error)."), into: &output)
            }
        }
        var configuration = self.configuration.match
        configuration.tickRate = header.ticksPerSecond
        configuration.checksumInterval = header.checkpointInterval
        let attestor = header.attestation.map { plan in
            Attestor(plan: plan, localSlot: slot, game: header.game, engineVersion: header.engineVersion) { [identity] in identity.sign($0) }
        }
        let history = MatchHistory(
            game: game, localSlot: slot, tickRate: header.ticksPerSecond, checkpointInterval: header.checkpointInterval,
            attestation: header.attestation)
        watching!.core = MatchCore.fed(
            slot: slot, peerIDs: seats, game: game,
            recorder: NodeRecorder(recording: recording, keepsTally: self.configuration.keepsTally, history: rejoining ? history : nil),
            configuration: configuration, tickLimit: Int(Int32.max), attestor: attestor, signs: rejoining)
        emit(.watchStarted(players: header.players, game: header.game), into: &output)
    }

    /// Applies what the feed allows now, asks for the seat once caught up and verified, and
    /// ends a spectator's watch at the match's end.
    mutating func advanceWatch(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        guard watching != nil else { return }
        if watching!.feed.header == nil, !(now < watching!.startDeadline) {
            watching!.feed.refuse("the player feeding the match did not answer")
        }
        if watching!.feed.problem != nil {
            feedFailed(endpoint: &endpoint, at: now, into: &output)
            return
        }
        if let seatTick = watching!.seatTick {
            // Seated: the rest of the feed (ticks before the seat) goes into the match being played.
            guard current != nil else { return }
            let available = watching!.feed.availableTick
            let events = watching!.feed.apply(to: &current!.core, upTo: Tick(min(available.rawValue, seatTick.rawValue)))
            noteFed(events)
            if events.contains(.rejoined(slot: current!.core.slot, tick: seatTick)) { watching!.sawOwnReturn = true }
            if watching!.sawOwnReturn {
                var happened: [LockstepEvent] = []
                current!.core.releaseIfCaughtUp(at: now, endpoint: &endpoint, events: &happened)
                report(happened, into: &output)
            }
            if !watching!.sawOwnReturn, let deadline = watching!.seatDeadline, !(now < deadline) {
                watching!.feed.refuse("the history never reached the seat's tick \(seatTick)")
                current!.endReason = "could not take the seat again"
                current!.lingerUntil = now
            }
            if watching!.feed.problem != nil {
                emit(.notice("The feed of the match did not hold: \(watching!.feed.problem!)."), into: &output)
            }
            if watching!.sawOwnReturn || watching!.feed.problem != nil {
                _ = endpoint.sendReliable(WatchMessage.unsubscribe.bytes, channel: WatchMessage.channel, to: watching!.feed.feeder)
                watching = nil
            }
            return
        }
        guard watching!.core != nil else { return }
        let available = Int(watching!.feed.availableTick.rawValue)
        let target = watching!.seat != nil ? available : Int(watching!.feed.tick(reachedAtLeast: watching!.delay, before: now).rawValue)
        var core = watching!.core!
        watching!.core = nil
        let events = watching!.feed.apply(to: &core, upTo: Tick(UInt32(target)))
        watching!.core = core
        noteFed(events)
        for event in events { if case .chat(let slot, let text, _) = event { showWatchedChat(slot: slot, text: text, into: &output) } }
        if watching!.feed.problem != nil {
            feedFailed(endpoint: &endpoint, at: now, into: &output)
            return
        }
        if watching!.seat == nil, watching!.feed.trailer != nil, watching!.feed.isDrained, !watching!.finished {
            finishWatch(problem: nil, into: &output)
            return
        }
        if let seat = watching!.seat, !watching!.seatAsked, watching!.feed.isDrained, isVouchedFor(seat: seat) {
            watching!.seatAsked = true
            _ = endpoint.sendReliable(WatchMessage.seatMe.bytes, channel: WatchMessage.channel, to: watching!.feed.feeder)
        }
    }

    /// Whether the history applied so far is vouched for: more than half of the players still
    /// seated (this node aside) attested a tick of it, or the match is younger than one interval.
    private func isVouchedFor(seat: PlayerSlot) -> Bool {
        guard let core = watching?.core, let plan = watching?.feed.header?.attestation else { return false }
        let seated = (0..<core.peerIDs.count).map(PlayerSlot.init).filter { $0 != seat && !watching!.leftSlots.contains($0) }
        if seated.isEmpty { return true }
        if Int(core.game.tick.rawValue) < plan.interval + core.configuration.tickRate * 2 { return true }
        return WatchFeed.majorityAttested(core.attestedThrough, among: seated) > 0
    }

    private mutating func noteFed(_ events: [LockstepEvent]) {
        for event in events {
            switch event {
            case .dropped(let slot, _): if !watching!.leftSlots.contains(slot) { watching!.leftSlots.append(slot) }
            case .rejoined(let slot, _): watching!.leftSlots.removeAll { $0 == slot }
            case .chat, .desync, .lostMajority: break
            }
        }
        watching!.leftSlots.sort { $0.index < $1.index }
    }

    private mutating func showWatchedChat(slot: PlayerSlot, text: String, into output: inout CoreOutput<Address, NodeEvent>) {
        guard let players = watching?.core?.game.players else { return }
        let name = players.indices.contains(slot.index) ? players[slot.index].name : "player \(slot.index)"
        emit(.chat(NodeChatLine(name: name, text: ChatText.sanitize(text), slot: slot, isOwn: false)), into: &output)
    }

    /// The feed did not hold (or was refused): ask the next player in seat order, or give up.
    private mutating func feedFailed(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        guard var watch = watching, !watch.finished else { return }
        let problem = watch.feed.problem ?? "the feed failed"
        _ = endpoint.sendReliable(WatchMessage.unsubscribe.bytes, channel: WatchMessage.channel, to: watch.feed.feeder)
        watch.core?.recorder?.recording?.abandon()
        let seats = watch.feed.seats ?? []
        let next = seats.first { $0 != peerID && !watch.asked.contains($0) && endpoint.stats(for: $0) != nil }
        guard let next, watch.seatTick == nil else {
            watching = watch
            finishWatch(problem: problem, into: &output)
            return
        }
        emit(.notice("The feed from one player did not hold (\(problem)); asking another."), into: &output)
        let rejoining = watch.seat != nil
        watch.asked.append(next)
        watch.feed = WatchFeed(feeder: next)
        watch.startDeadline = now + Self.feedStartTimeout
        watch.core = nil
        watch.seatAsked = false
        watch.leftSlots = []
        watching = watch
        _ = endpoint.sendReliable(WatchMessage.subscribe(rejoin: rejoining).bytes, channel: WatchMessage.channel, to: next)
    }

    private mutating func finishWatch(problem: String?, into output: inout CoreOutput<Address, NodeEvent>) {
        guard watching != nil, !watching!.finished else { return }
        watching!.finished = true
        if let core = watching!.core, let recording = core.recorder?.recording {
            if problem == nil, let trailer = watching!.feed.trailer {
                recording.finish(game: core.game, endedEarly: trailer.endedEarly)
            } else {
                recording.abandon()
            }
        }
        emit(watchEnded(problem: problem), into: &output)
    }

    /// Ends watching here now (the person stopped, or the simulation ended): the recording is
    /// closed with a trailer saying why.
    public mutating func stopWatching(
        reason: String, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        guard let watch = watching, !watch.finished else { return }
        _ = endpoint.sendReliable(WatchMessage.unsubscribe.bytes, channel: WatchMessage.channel, to: watch.feed.feeder)
        watching!.finished = true
        if let core = watch.core { core.recorder?.recording?.finish(game: core.game, endedEarly: reason) }
        emit(watchEnded(problem: nil), into: &output)
    }

    /// The event that says where watching ended.
    private func watchEnded(problem: String?) -> NodeEvent {
        let core = watching?.core
        return .watchEnded(
            problem: problem, tick: core?.game.tick ?? .zero, checksum: core?.game.checksum(), replayPath: core?.recorder?.recording?.path)
    }

    /// The feeder announced our seat: the fed match becomes this node's match, playing from `tick`.
    private mutating func takeSeat(
        atTick tick: Tick, dueTick: Int, endpoint: inout MeshEndpoint<Address>, at now: Timestamp,
        into output: inout CoreOutput<Address, NodeEvent>
    ) {
        guard var watch = watching, let seat = watch.seat, var core = watch.core, watch.seatTick == nil, current == nil else { return }
        // A seat is announced a little ahead of the history we hold, never behind our game: a
        // feeder naming any other tick is not believed (we would wait for a seat that never comes).
        guard tick > core.game.tick, Int(tick.rawValue) <= Int(watch.feed.availableTick.rawValue) + LockstepSession.maxSeatLead else {
            watching!.feed.refuse("the feeder announced the seat at tick \(tick), out of reach")
            advanceWatch(endpoint: &endpoint, at: now, into: &output)
            return
        }
        // The feeder's due tick is as old as the message: add the one-way time it took.
        let oneWay = endpoint.stats(for: watch.feed.feeder)?.smoothedRTT.map { $0 / 2 } ?? .zero
        let period = core.configuration.tickPeriod
        let due = dueTick + Int(oneWay.microseconds / period.microseconds)
        core.resume(atTick: Int(tick.rawValue), dueTick: due, dropped: watch.leftSlots.filter { $0 != seat }, at: now, endpoint: endpoint)
        guard let header = watch.feed.header, let seats = watch.feed.seats else { return }
        let start = GameStart(
            roomName: watch.roomName ?? "rejoined", game: header.game, configBytes: header.config, map: "", seed: header.seed,
            seedDigest: [], players: zip(header.players, seats).map { SeatedPlayer(info: $0, peer: $1) }, localSlot: seat,
            tickRate: header.ticksPerSecond, matchLengthTicks: 0, firstTick: .zero, startsAt: now, round: watch.feed.round)
        input.matchStarted(core.game, slot: seat, seed: header.seed ^ inputSeed ^ UInt64(seat.index))
        current = CurrentMatch(core: core, start: start, deadline: now + .seconds(24 * 3600), recordingProblem: nil)
        current!.dropped = watch.leftSlots.filter { $0 != seat }.map(\.index)
        watch.seatDeadline = now + Self.seatTimeout
        watch.core = nil
        watch.seatTick = tick
        watching = watch
        emit(.rejoined(slot: seat, atTick: tick), into: &output)
        advanceWatch(endpoint: &endpoint, at: now, into: &output)
    }

    // MARK: Feeding

    /// A watch message from a subscriber (or a would-be one).
    mutating func serveFeed(
        _ message: WatchMessage, from peer: PeerID, endpoint: inout MeshEndpoint<Address>, at now: Timestamp
    ) {
        switch message {
        case .subscribe(let rejoin):
            subscribers.removeAll { $0.peer == peer }
            guard let match = current, match.core.phase == .playing, let history = match.core.history, history.failure == nil else {
                refuseFeed(peer, "no match is running here", endpoint: &endpoint)
                return
            }
            var subscriber = FeedSubscriber(peer: peer)
            if rejoin {
                guard let index = match.core.peerIDs.firstIndex(of: peer), match.dropped.contains(index) else {
                    refuseFeed(peer, "you hold no dropped seat in this match", endpoint: &endpoint)
                    return
                }
                subscriber.seat = PlayerSlot(index)
            } else {
                // A locked room's match is for those who know its password: no spectators.
                guard room.settings?.hasPassword != true else {
                    refuseFeed(peer, "this room is locked: its match cannot be watched", endpoint: &endpoint)
                    return
                }
                let share = (Self.maxSpectators + match.core.peerIDs.count - 1) / match.core.peerIDs.count
                guard subscribers.filter({ $0.seat == nil }).count < share else {
                    refuseFeed(peer, "this player feeds \(share) spectators already", endpoint: &endpoint)
                    return
                }
            }
            subscribers.append(subscriber)
            _ = endpoint.sendReliable(
                WatchMessage.seats(round: match.start.round, players: match.core.peerIDs).bytes, channel: WatchMessage.channel, to: peer)
            pumpFeeds(endpoint: &endpoint)
        case .seatMe:
            guard let index = subscribers.firstIndex(where: { $0.peer == peer }), let seat = subscribers[index].seat,
                  !subscribers[index].seatAsked, current != nil, current!.dropped.contains(seat.index) else { return }
            subscribers[index].seatAsked = true
            current!.core.requestSeat(for: seat, lead: seatLead(for: peer, endpoint: endpoint))
        case .unsubscribe:
            subscribers.removeAll { $0.peer == peer }
        case .seats, .history, .refused, .seated:
            break
        }
    }

    /// Ticks between a seat request and the seat: the returning node hears of it a one-way
    /// trip later and its first commands must reach everyone before the seat's tick is due.
    private func seatLead(for peer: PeerID, endpoint: MeshEndpoint<Address>) -> Int {
        guard let match = current else { return 1 }
        let period = match.core.configuration.tickPeriod.microseconds
        let roundTrip = (endpoint.stats(for: peer)?.smoothedRTT ?? .milliseconds(200)).microseconds
        let delay = match.core.stats?.inputDelay ?? match.core.initialLead.delay
        return delay + 2 * Int((roundTrip + period - 1) / period) + match.core.configuration.tickRate / 4 + 2
    }

    private func refuseFeed(_ peer: PeerID, _ reason: String, endpoint: inout MeshEndpoint<Address>) {
        _ = endpoint.sendReliable(WatchMessage.refused(reason).bytes, channel: WatchMessage.channel, to: peer)
    }

    /// The most history bytes waiting in one subscriber's link before more are queued.
    static var feedWindowBytes: Int { 64 * 1024 }

    /// Sends each subscriber what it lacks of the history (within its link's window), tells
    /// returning nodes their scheduled seats, and flushes the history every tick while one
    /// waits for its seat.
    /// `unbounded`: the match is ending; everything left is queued at once (within the link's send buffer).
    mutating func pumpFeeds(endpoint: inout MeshEndpoint<Address>, unbounded: Bool = false) {
        guard current != nil else { return }
        for seat in current!.core.takeScheduledSeats() {
            guard let subscriber = subscribers.first(where: { $0.seat == seat.slot }) else { continue }
            let due = UInt32(clamping: current!.core.loop?.session.ticksDue ?? 0)
            _ = endpoint.sendReliable(
                WatchMessage.seated(atTick: seat.tick.rawValue, dueTick: due).bytes, channel: WatchMessage.channel, to: subscriber.peer)
        }
        guard !subscribers.isEmpty else { return }
        if subscribers.contains(where: { $0.seat != nil }) { current!.core.flushHistory() }
        guard let bytes = current!.core.history?.bytes else { return }
        for index in subscribers.indices {
            while subscribers[index].sent < bytes.count {
                let peer = subscribers[index].peer
                guard unbounded || (endpoint.stats(for: peer)?.bufferedBytes ?? Int.max) < Self.feedWindowBytes else { break }
                let end = min(bytes.count, subscribers[index].sent + WatchMessage.maxPiece)
                let piece = WatchMessage.history(offset: UInt64(subscribers[index].sent), bytes: Array(bytes[subscribers[index].sent..<end]))
                guard endpoint.sendReliable(piece.bytes, channel: WatchMessage.channel, to: peer) == .queued else { break }
                subscribers[index].sent = end
            }
        }
    }
}
