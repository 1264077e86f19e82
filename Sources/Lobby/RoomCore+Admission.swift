import MeshplayCore
import MeshTransport

extension RoomCore {
    /// Who may answer a join, and how, when we are not an admitting host.
    /// Returns nil when we are the host and admission goes ahead.
    func refusalForNonHost() -> RoomRefusal? {
        guard phase.isInRoom, let settings else { return .noRoom }
        if phase == .countdown || phase == .running { return .gameRunning(room: settings.name) }
        if !isHost { return .notHost(host: host) }
        return nil
    }

    mutating func handleHello(from peer: PeerID, at now: Timestamp) {
        if let refusal = refusalForNonHost() {
            send(.refused(refusal), to: peer)
            return
        }
        if memberIndex(peer) != nil {
            send(.state(stateMessage), to: peer)
            return
        }
        issueChallenge(to: peer, at: now)
    }

    /// Sends `peer` its challenge. Nothing is stored: the join is checked against the nonce
    /// recomputed (see ``JoinChallenge``), so hellos cost the host no memory and hold no place.
    mutating func issueChallenge(to peer: PeerID, at now: Timestamp) {
        if challenges == nil { challenges = JoinChallenge(secret: entropy.bytes(32), lifetime: limits.challengeLifetime) }
        send(.challenge(nonce: challenges!.nonce(for: peer, at: now)), to: peer)
    }

    mutating func handleChallenge(_ nonce: [UInt8], from peer: PeerID) {
        guard case .joining(let host) = phase, host == peer, let attempt = joinAttempt else { return }
        let request = JoinRequest(
            engineVersion: engineVersion, games: supportedGames, name: PlayerName.clean(attempt.name),
            proof: RoomPassword.proof(password: attempt.password, nonce: nonce, joiner: localPeer))
        send(.join(request), to: peer)
    }

    /// The host's admission, with its checks in a fixed order: engine version, game
    /// version, game under way, password, room full. One join is decided at a time
    /// (messages are handled one by one), so the room never exceeds its cap.
    mutating func handleJoin(_ request: JoinRequest, from peer: PeerID, at now: Timestamp) {
        if let refusal = refusalForNonHost() {
            send(.refused(refusal), to: peer)
            return
        }
        guard let settings else { return }
        if memberIndex(peer) != nil {
            send(.state(stateMessage), to: peer)
            return
        }
        // A join before any challenge of ours (a host that took over, say) gets one first. A proof
        // that opens neither this window's nonce nor the last one's is a wrong password (a joiner
        // gives up after ``RoomLimits/joinTimeout``, within a window, so its nonce is never stale).
        guard let nonces = challenges?.acceptedNonces(for: peer, at: now) else {
            issueChallenge(to: peer, at: now)
            return
        }
        let answersUs = nonces.contains { RoomPassword.verify(request.proof, password: password, nonce: $0, joiner: peer) }
        let room = settings.name
        let refusal: RoomRefusal?
        if request.engineVersion != engineVersion {
            refusal = .engineVersionMismatch(room: room, host: engineVersion, joiner: request.engineVersion)
        } else if !request.games.contains(settings.game) {
            refusal = .gameVersionMismatch(room: room, game: settings.game)
        } else if phase.isGameUnderWay {
            refusal = .gameRunning(room: room)
        } else if !answersUs {
            refusal = .wrongPassword(room: room)
        } else if members.count >= settings.playerCap {
            refusal = .roomFull(room: room, cap: settings.playerCap)
        } else {
            refusal = nil
        }
        if let refusal {
            send(.refused(refusal), to: peer)
            return
        }
        let name = PlayerName.unique(request.name, among: members.map(\.name))
        members.append(RoomMember(peer: peer, joinOrder: nextJoinOrder, name: name, isReady: false))
        emit(.memberJoined(name: name))
        nextJoinOrder &+= 1
        broadcastState()
        flushEarlyChats(from: peer, at: now)
        startIfFull(at: now)
    }

    mutating func handleRefusal(_ refusal: RoomRefusal, from peer: PeerID) {
        guard case .joining(let host) = phase, host == peer else { return }
        resetToIdle()
        emit(.refused(refusal))
    }
}
