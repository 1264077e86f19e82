import MeshplayCore
import MeshTransport

extension RoomCore {
    /// Handles one message that arrived from `peer` on channel ``channel``.
    /// Malformed messages are counted and ignored.
    public mutating func receive(_ bytes: [UInt8], from peer: PeerID, at now: Timestamp) -> [RoomAction] {
        guard peer != localPeer else { return take() }
        guard let message = try? RoomMessage(decoding: bytes) else {
            malformedMessages += 1
            return take()
        }
        handle(message, from: peer, at: now)
        return take()
    }

    /// The link to `peer` is gone: it leaves the room (and the host role passes on if it hosted).
    /// `saidGoodbye`: the peer closed its link on purpose (left the mesh), rather than fell silent.
    public mutating func linkLost(_ peer: PeerID, saidGoodbye: Bool = false, at now: Timestamp) -> [RoomAction] {
        if case .joining(let host) = phase, host == peer {
            resetToIdle()
            emit(.refused(.noAnswer))
            return take()
        }
        memberGone(peer, lost: !saidGoodbye, at: now)
        return take()
    }

    mutating func handle(_ message: RoomMessage, from peer: PeerID, at now: Timestamp) {
        switch message {
        case .query:
            send(.signedInfo(signedAnswer(for: peer)), to: peer)
        case .info:
            // Unsigned: an older peer's answer, bound to no key.
            refusedAnswers += 1
        case .signedInfo(let info):
            guard info.isValid(answerer: peer, asker: localPeer) else {
                refusedAnswers += 1
                return
            }
            emit(.roomInfo(from: peer, summary: info.summary))
        case .hello:
            handleHello(from: peer, at: now)
        case .challenge(let nonce):
            handleChallenge(nonce, from: peer)
        case .join(let request):
            handleJoin(request, from: peer, at: now)
        case .refused(let refusal):
            handleRefusal(refusal, from: peer)
        case .state(let state):
            applyState(state, from: peer, at: now)
        case .setReady(let ready):
            handleSetReady(ready, from: peer)
        case .leave:
            memberGone(peer, lost: false, at: now)
        case .chat(let sequence, let text):
            handleChat(sequence: sequence, text: text, from: peer, at: now)
        case .chatRefused(let sequence):
            emit(.chatRefused(.refusedBy(peer, sequence: sequence)))
        case .startRound(let round, let participants):
            handleStartRound(round, participants: participants, from: peer, at: now)
        case .commit(let round, let digest):
            handleCommit(round, digest: digest, from: peer, at: now)
        case .commitSet(let round, let digests):
            handleCommitSet(round, digests: digests, from: peer, at: now)
        case .reveal(let round, let secret):
            handleReveal(round, secret: secret, from: peer, at: now)
        case .go(let round, let secrets, let countdown):
            handleGo(round, secrets: secrets, countdownMilliseconds: countdown, from: peer, at: now)
        case .startAborted(let round, let removed, let reason):
            handleStartAborted(round, removed: removed, reason: reason, from: peer, at: now)
        }
    }

    /// Our signed answer for `asker`: the cached one while the room's summary is unchanged.
    mutating func signedAnswer(for asker: PeerID) -> SignedRoomInfo {
        let current = summary
        if let cached = cachedAnswers.first(where: { $0.asker == asker && $0.info.summary == current }) { return cached.info }
        let info = SignedRoomInfo(summary: current, for: asker, signedBy: identity)
        answersSigned += 1
        cachedAnswers.removeAll { $0.asker == asker }
        if cachedAnswers.count >= Self.maxCachedAnswers { cachedAnswers.removeFirst() }
        cachedAnswers.append((asker, info))
        return info
    }
}
