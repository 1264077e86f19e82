import MeshplayCore
import MeshTransport

extension RoomCore {
    /// Creates a room hosted here, with us as its first member (join order 0).
    /// `password` (nil or empty for none) is kept locally and never sent.
    public mutating func create(settings: RoomSettings, password: String?, name: String, at now: Timestamp) -> [RoomAction] {
        if phase != .idle { _ = leave(at: now) }
        var settings = settings
        let password = (password?.isEmpty ?? true) ? nil : password
        settings.hasPassword = password != nil
        self.settings = settings
        self.password = password
        members = [RoomMember(peer: localPeer, joinOrder: 0, name: PlayerName.clean(name), isReady: false)]
        nextJoinOrder = 1
        host = localPeer
        epoch = RoomEpoch(generation: 1, counter: 1)
        phase = .waiting
        emit(.joined(settings))
        emitMembers()
        startIfFull(at: now)
        return take()
    }

    /// Asks `host` to admit us. The outcome is ``RoomEvent/joined(_:)`` or ``RoomEvent/refused(_:)``.
    public mutating func join(host: PeerID, name: String, password: String?, at now: Timestamp) -> [RoomAction] {
        if phase != .idle { _ = leave(at: now) }
        let password = (password?.isEmpty ?? true) ? nil : password
        joinAttempt = JoinAttempt(host: host, name: name, password: password, deadline: now + limits.joinTimeout)
        phase = .joining(host: host)
        send(.hello, to: host)
        return take()
    }

    /// Leaves the room (or abandons a join): every member is told.
    public mutating func leave(at now: Timestamp) -> [RoomAction] {
        switch phase {
        case .idle:
            return take()
        case .joining(let host):
            send(.leave, to: host)
        case .waiting, .starting, .countdown, .running:
            sendToMembers(.leave)
        }
        resetToIdle()
        emit(.left)
        return take()
    }

    /// Marks us ready (or not) to start.
    public mutating func setReady(_ ready: Bool, at now: Timestamp) -> [RoomAction] {
        guard phase == .waiting, let index = memberIndex(localPeer) else { return take() }
        if isHost {
            guard members[index].isReady != ready else { return take() }
            members[index].isReady = ready
            broadcastState()
        } else if let host {
            members[index].isReady = ready
            send(.setReady(ready), to: host)
            emitMembers()
        }
        return take()
    }

    /// Says `text` to every member (sanitised; flood-limited). While the game runs the
    /// line goes on the lockstep command stream instead (``RoomAction/sendGameChat(_:)``).
    public mutating func chat(_ text: String, at now: Timestamp) -> [RoomAction] {
        guard phase.isInRoom else {
            emit(.chatRefused(.notInRoom))
            return take()
        }
        if phase == .running {
            let clean = ChatText.sanitize(text)
            if clean.isEmpty { emit(.chatRefused(.empty)) } else { output.append(.sendGameChat(clean)) }
            return take()
        }
        switch chatCore.prepare(text, at: now) {
        case .failure(let refusal):
            emit(.chatRefused(refusal))
        case .success(let line):
            sendToMembers(.chat(sequence: line.sequence, text: line.text))
            emit(.chat(ChatLine(
                sender: localPeer, senderName: members[memberIndex(localPeer) ?? 0].name, sequence: line.sequence,
                text: line.text, receivedAt: now)))
        }
        return take()
    }

    /// A chat line that arrived on the running game's lockstep command stream, shown
    /// through the same event as room chat.
    public mutating func receiveGameChat(slot: PlayerSlot, text: String, at now: Timestamp) -> [RoomAction] {
        guard let start = gameStart, slot.index < start.players.count else { return take() }
        let player = start.players[slot.index]
        let clean = ChatText.sanitize(text)
        guard !clean.isEmpty else { return take() }
        emit(.chat(ChatLine(sender: player.peer, senderName: player.info.name, sequence: 0, text: clean, receivedAt: now)))
        return take()
    }

    /// The host starts the game: every member but the host must be ready.
    public mutating func start(at now: Timestamp) -> [RoomAction] {
        guard isHost else {
            emit(.startRefused(phase.isGameUnderWay ? .alreadyStarting : .notHost))
            return take()
        }
        guard phase == .waiting else {
            emit(.startRefused(.alreadyStarting))
            return take()
        }
        let notReady = members.filter { !$0.isReady && $0.peer != localPeer }.map(\.name)
        guard notReady.isEmpty else {
            emit(.startRefused(.notReady(notReady)))
            return take()
        }
        beginRound(at: now)
        return take()
    }

    /// The game ended: the room returns to waiting, readiness cleared, and the member
    /// with the lowest join order hosts again.
    public mutating func finishGame(_ result: GameResult, at now: Timestamp) -> [RoomAction] {
        guard phase == .running || phase == .countdown else { return take() }
        emit(.gameOver(result))
        phase = .waiting
        gameStart = nil
        round = nil
        for index in members.indices { members[index].isReady = false }
        host = members.first?.peer
        if host == localPeer { takeOverAsHost() } else { emitMembers() }
        return take()
    }

    /// Asks `peer` which room it is in; the answer is ``RoomEvent/roomInfo(from:summary:)``.
    public mutating func query(_ peer: PeerID) -> [RoomAction] {
        send(.query, to: peer)
        return take()
    }

    /// Records the measured round trip to `peer` for the member list (no event).
    public mutating func updatePing(_ peer: PeerID, roundTrip: TimeSpan?) {
        if let index = memberIndex(peer) { members[index].ping = roundTrip }
    }

    /// Drives timers: join and challenge expiry, start-round timeouts, the countdown.
    public mutating func tick(at now: Timestamp) -> [RoomAction] {
        if let attempt = joinAttempt, now >= attempt.deadline {
            resetToIdle()
            emit(.refused(.noAnswer))
        }
        earlyChats.removeAll { now >= $0.expires }
        if isHost, isStarting { checkRoundDeadline(at: now) }
        if phase == .countdown { advanceCountdown(at: now) }
        return take()
    }
}
