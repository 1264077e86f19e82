import MeshplayCore
import MeshTransport

extension RoomCore {
    /// The host's current picture of the room.
    var stateMessage: RoomStateMessage {
        RoomStateMessage(
            epoch: epoch, host: host ?? localPeer, phase: isStarting ? .starting : .waiting,
            nextJoinOrder: nextJoinOrder, settings: settings!, members: members)
    }

    /// The host sends its new picture to every member and shows it locally.
    mutating func broadcastState() {
        epoch.counter &+= 1
        sendToMembers(.state(stateMessage))
        emitMembers()
    }

    /// We became host: a new host generation, so every member takes our picture.
    mutating func takeOverAsHost() {
        epoch = RoomEpoch(generation: epoch.generation &+ 1, counter: 0)
        emit(.hostChanged(localPeer))
        broadcastState()
    }

    mutating func applyState(_ state: RoomStateMessage, from peer: PeerID, at now: Timestamp) {
        guard state.host == peer else { return }
        let includesUs = state.members.contains { $0.peer == localPeer }
        if case .joining(let joinHost) = phase {
            guard joinHost == peer, includesUs, let attempt = joinAttempt else { return }
            password = attempt.password
            joinAttempt = nil
            phase = .waiting
            adopt(state)
            emit(.joined(state.settings))
            emitMembers()
            flushAllEarlyChats(at: now)
            return
        }
        guard phase == .waiting || isStarting, state.epoch > epoch else { return }
        // The room is pinned to its host: only our host, or a member taking over from it, may
        // send the room's state. Another room's host (one of the same name, say) never replaces ours.
        guard peer == host || memberIndex(peer) != nil else {
            foreignStates += 1
            return
        }
        guard includesUs else {
            resetToIdle()
            emit(.removed(.removedByHost))
            return
        }
        let oldHost = host
        let oldMembers = members
        adopt(state)
        if oldHost != host { emit(.hostChanged(peer)) }
        for member in members where member.peer != localPeer && !oldMembers.contains(where: { $0.peer == member.peer }) {
            emit(.memberJoined(name: member.name))
        }
        // A member the host dropped from its picture is gone here too, with a line: the host may
        // hear a goodbye (or a loss) before we do, and then we never would.
        for gone in oldMembers where gone.peer != localPeer && memberIndex(gone.peer) == nil {
            chatCore.forget(gone.peer)
            emit(.memberLeft(name: gone.name, lost: false))
        }
        if oldMembers != members { emitMembers() }
        flushAllEarlyChats(at: now)
    }

    /// Takes over the host's picture, keeping our local pings.
    mutating func adopt(_ state: RoomStateMessage) {
        let pings = members.map { ($0.peer, $0.ping) }
        epoch = state.epoch
        host = state.host
        settings = state.settings
        nextJoinOrder = state.nextJoinOrder
        members = state.members.sorted(by: RoomMember.precedes)
        for index in members.indices {
            members[index].ping = pings.first { $0.0 == members[index].peer }?.1 ?? nil
        }
    }

    mutating func handleSetReady(_ ready: Bool, from peer: PeerID) {
        guard isHost, phase == .waiting, let index = memberIndex(peer), members[index].isReady != ready else { return }
        members[index].isReady = ready
        broadcastState()
    }

    /// `peer` left or its link was lost. Before the start the host updates the room
    /// (and a start round in progress restarts without it); if `peer` hosted, the member
    /// with the lowest join order takes over. While the game runs it just leaves the list.
    /// `lost`: its link was lost, rather than it saying goodbye.
    mutating func memberGone(_ peer: PeerID, lost: Bool, at now: Timestamp) {
        earlyChats.removeAll { $0.peer == peer }
        guard phase.isInRoom, let index = memberIndex(peer) else { return }
        let gone = members.remove(at: index)
        chatCore.forget(peer)
        emit(.memberLeft(name: gone.name, lost: lost))
        switch phase {
        case .countdown, .running:
            emitMembers()
        case .waiting, .starting:
            if isHost {
                if let current = round, current.participants.contains(peer) {
                    abortRound(removed: [], reason: .timedOut, restart: true, at: now)
                } else {
                    broadcastState()
                }
            } else if peer == host {
                hostGone(at: now)
            } else {
                emitMembers()
            }
        case .idle, .joining:
            break
        }
    }

    /// The host left before the start: the lowest join order hosts now. A start that
    /// was under way is abandoned; the new host begins a fresh round.
    mutating func hostGone(at now: Timestamp) {
        let wasStarting = isStarting
        round = nil
        phase = .waiting
        host = members.first?.peer
        guard let newHost = host else {
            resetToIdle()
            emit(.removed(.roomGone))
            return
        }
        if newHost == localPeer {
            takeOverAsHost()
            if wasStarting { beginRound(at: now) } else { startIfFull(at: now) }
        } else {
            emit(.hostChanged(newHost))
            emitMembers()
        }
    }
}
