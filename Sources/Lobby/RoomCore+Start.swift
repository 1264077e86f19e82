import MeshplayCore
import MeshTransport

extension RoomCore {
    /// Rooms that start by themselves do so the moment they are full.
    mutating func startIfFull(at now: Timestamp) {
        guard isHost, phase == .waiting, let settings, settings.startsWhenFull, members.count >= settings.playerCap else { return }
        beginRound(at: now)
    }

    /// The host opens a start round with every member, in join order, as participants.
    mutating func beginRound(at now: Timestamp) {
        guard !members.isEmpty else { return }
        lastRound &+= 1
        let number = lastRound
        let participants = members.map(\.peer)
        phase = .starting(round: number)
        broadcastState()
        sendToMembers(.startRound(round: number, participants: participants))
        joinRound(number, participants: participants, at: now)
    }

    /// Takes part in a round: draw a secret, commit to it, send the commitment to the host.
    mutating func joinRound(_ number: UInt32, participants: [PeerID], at now: Timestamp) {
        let secret = entropy.bytes(SeedCommitment.size)
        let commitment = SeedCommitment.commitment(secret: secret, peer: localPeer)
        round = StartRound(
            number: number, participants: participants, secret: secret, commitment: commitment,
            deadline: now + limits.startStepTimeout)
        lastRound = max(lastRound, number)
        phase = .starting(round: number)
        emit(.starting(round: number, players: participants))
        if isHost {
            handleCommit(number, digest: commitment, from: localPeer, at: now)
        } else if let host {
            send(.commit(round: number, digest: commitment), to: host)
        }
    }

    mutating func handleStartRound(_ number: UInt32, participants: [PeerID], from peer: PeerID, at now: Timestamp) {
        guard peer == host, !isHost, phase == .waiting || isStarting, number > lastRound,
              participants.contains(localPeer), participants.count <= PlayerSlot.capacity
        else { return }
        joinRound(number, participants: participants, at: now)
    }

    // MARK: Host side

    mutating func handleCommit(_ number: UInt32, digest: [UInt8], from peer: PeerID, at now: Timestamp) {
        guard isHost, var current = round, current.number == number, current.stage == .committing,
              let slot = current.slot(of: peer), current.commitments[slot] == nil
        else { return }
        current.commitments[slot] = digest
        round = current
        guard current.missing.isEmpty else { return }
        current.stage = .revealing
        current.deadline = now + limits.startStepTimeout
        round = current
        let agreed = current.commitments.map { $0! }
        for participant in current.participants where participant != localPeer {
            send(.commitSet(round: number, digests: agreed), to: participant)
        }
        handleReveal(number, secret: current.secret, from: localPeer, at: now)
    }

    mutating func handleReveal(_ number: UInt32, secret: [UInt8], from peer: PeerID, at now: Timestamp) {
        guard isHost, var current = round, current.number == number, current.stage == .revealing,
              let slot = current.slot(of: peer), current.secrets[slot] == nil, let commitment = current.commitments[slot]
        else { return }
        guard SeedCommitment.opens(commitment, secret: secret, peer: peer) else {
            abortRound(removed: [peer], reason: .badReveal, restart: true, at: now)
            return
        }
        current.secrets[slot] = secret
        round = current
        guard current.missing.isEmpty else { return }
        let secrets = current.secrets.map { $0! }
        let countdown = UInt32(clamping: limits.countdown.milliseconds)
        for participant in current.participants where participant != localPeer {
            send(.go(round: number, secrets: secrets, countdownMilliseconds: countdown), to: participant)
        }
        handleGo(number, secrets: secrets, countdownMilliseconds: countdown, from: localPeer, at: now)
    }

    /// At a stage's deadline the host removes every participant still missing.
    mutating func checkRoundDeadline(at now: Timestamp) {
        guard let current = round, now >= current.deadline else { return }
        abortRound(removed: current.missing, reason: .timedOut, restart: true, at: now)
    }

    /// Ends the round: tells every participant who is removed and why, drops them
    /// from the room, and (when `restart`) opens a fresh round with the rest.
    mutating func abortRound(removed: [PeerID], reason: RemovalReason, restart: Bool, at now: Timestamp) {
        guard let current = round else { return }
        for participant in current.participants where participant != localPeer {
            send(.startAborted(round: current.number, removed: removed, reason: reason), to: participant)
        }
        emit(.startAborted(round: current.number, removed: removed, reason: reason))
        round = nil
        phase = .waiting
        let me = localPeer
        members.removeAll { removed.contains($0.peer) && $0.peer != me }
        for peer in removed { chatCore.forget(peer) }
        if restart { beginRound(at: now) } else { broadcastState() }
    }

    // MARK: Member side

    mutating func handleCommitSet(_ number: UInt32, digests: [[UInt8]], from peer: PeerID, at now: Timestamp) {
        guard peer == host, !isHost, var current = round, current.number == number,
              current.stage == .committing, digests.count == current.participants.count,
              let slot = current.slot(of: localPeer), digests[slot] == current.commitment
        else { return }
        current.commitments = digests
        current.stage = .revealing
        round = current
        send(.reveal(round: number, secret: current.secret), to: peer)
    }

    mutating func handleGo(_ number: UInt32, secrets: [[UInt8]], countdownMilliseconds: UInt32, from peer: PeerID, at now: Timestamp) {
        guard peer == host || peer == localPeer, let current = round, current.number == number,
              current.stage == .revealing, secrets.count == current.participants.count, let settings,
              let localSlot = current.slot(of: localPeer)
        else { return }
        // Every reveal must open its agreed commitment: a host cannot substitute secrets.
        for (slot, secret) in secrets.enumerated() {
            guard let commitment = current.commitments[slot],
                  SeedCommitment.opens(commitment, secret: secret, peer: current.participants[slot])
            else { return }
        }
        let digest = SeedCommitment.seedDigest(round: number, secrets: secrets)
        let players = current.participants.enumerated().map { slot, participant in
            SeatedPlayer(
                info: PlayerInfo(slot: PlayerSlot(slot), name: members.first { $0.peer == participant }?.name ?? PlayerName.fallback),
                peer: participant)
        }
        let countdown = TimeSpan.milliseconds(Int64(min(countdownMilliseconds, 60_000)))
        gameStart = GameStart(
            roomName: settings.name, game: settings.game, configBytes: settings.configBytes, map: settings.map,
            seed: SeedCommitment.seed(fromDigest: digest), seedDigest: digest, players: players,
            localSlot: PlayerSlot(localSlot), tickRate: settings.tickRate, matchLengthTicks: settings.matchLengthTicks,
            firstTick: .zero, startsAt: now + countdown, round: number)
        round = nil
        host = nil
        phase = .countdown
        lastCountdownSecond = nil
        advanceCountdown(at: now)
    }

    mutating func handleStartAborted(_ number: UInt32, removed: [PeerID], reason: RemovalReason, from peer: PeerID, at now: Timestamp) {
        guard peer == host, !isHost, let current = round, current.number == number else { return }
        if removed.contains(localPeer) {
            resetToIdle()
            emit(.removed(reason))
            return
        }
        round = nil
        phase = .waiting
        members.removeAll { removed.contains($0.peer) }
        for gone in removed { chatCore.forget(gone) }
        emit(.startAborted(round: number, removed: removed, reason: reason))
    }

    /// Countdown events each whole second, then the start.
    mutating func advanceCountdown(at now: Timestamp) {
        guard let start = gameStart else { return }
        if now >= start.startsAt {
            phase = .running
            lastCountdownSecond = nil
            emit(.gameStarted(start))
            return
        }
        let left = start.startsAt - now
        let seconds = Int((left.nanoseconds + 999_999_999) / 1_000_000_000)
        if seconds != lastCountdownSecond {
            lastCountdownSecond = seconds
            emit(.countdown(secondsLeft: seconds))
        }
    }
}
