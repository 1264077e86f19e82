import Lobby
import Lockstep
import MeshTransport
import MeshplayCore

extension BotPeer {
    /// Once per tick with a human seat: carries out a leave request, passes the human's
    /// chat on, and publishes a fresh snapshot with the game's new events.
    func serveSeat(endpoint: inout MeshEndpoint<Address>, at now: Timestamp) {
        guard let seat else { return }
        // A finished game lingers, closes its replay and leaves by itself; any other time, leave now.
        if seat.wantsToLeave, !seatLeaving, !(currentGame?.peer.isFinished ?? false) {
            seatLeaving = true
            if status == .running { leave(endpoint: &endpoint, at: now) }
        }
        for line in seat.takeChats() {
            if let peer = currentGame?.peer {
                peer.sendChat(line)
            } else if room.phase.isInRoom {
                perform(room.chat(line, at: now), endpoint: &endpoint, at: now)
            }
        }
        var snapshot = seat.snapshot
        var events = seatRoomEvents
        seatRoomEvents = []
        snapshot.room = describeRoom(endpoint: endpoint)
        if case .failed(let failure) = status {
            snapshot.phase = .failed(failure.description)
        } else if var current = currentGame {
            describe(&current, into: &snapshot, events: &events, endpoint: endpoint, at: now)
            currentGame = current
        } else if !results.isEmpty {
            snapshot.phase = .over
        } else {
            switch room.phase {
            case .idle, .joining: snapshot.phase = .searching
            default: snapshot.phase = .inRoom
            }
        }
        seat.publish(snapshot, events: events)
    }

    /// The room as the human's room screen shows it; nil before the peer is in one.
    private func describeRoom(endpoint: MeshEndpoint<Address>) -> HumanSeatSnapshot.Room? {
        guard room.phase.isInRoom, let settings = room.settings else { return nil }
        let members = room.memberList.map { entry in
            let measured = endpoint.stats(for: entry.member.peer)?.smoothedRTT ?? entry.member.ping
            return HumanSeatSnapshot.Member(
                name: entry.member.name, isReady: entry.member.isReady, isHost: entry.isHost,
                isYou: entry.member.peer == peerID,
                pingMilliseconds: entry.member.peer == peerID ? nil : measured.map { Int($0.nanoseconds / 1_000_000) })
        }
        return HumanSeatSnapshot.Room(
            name: settings.name, map: settings.map, playerCap: settings.playerCap, tickRate: settings.tickRate,
            matchLengthTicks: Int(settings.matchLengthTicks), locked: settings.hasPassword, members: members)
    }

    private func describe(_ current: inout BotGame<Address>, into snapshot: inout HumanSeatSnapshot,
                          events: inout [HumanSeatEvent], endpoint: MeshEndpoint<Address>, at now: Timestamp) {
        let peer = current.peer
        let players = current.start.playerInfos
        let name = { (slot: PlayerSlot) in players.indices.contains(slot.index) ? players[slot.index].name : "player \(slot.index)" }
        switch peer.phase {
        case .idle, .warmingUp: snapshot.phase = .inRoom
        case .playing: snapshot.phase = .playing
        case .finished: snapshot.phase = .over
        }
        let drawnTick = snapshot.view == nil ? nil : snapshot.tick
        snapshot.localSlot = current.start.localSlot
        snapshot.players = players
        snapshot.tick = peer.game.tick
        snapshot.tickRate = peer.configuration.tickRate
        snapshot.inputDelay = peer.stats?.inputDelay ?? peer.initialLead.delay
        snapshot.replayPath = current.replayPath
        snapshot.outcome = peer.game.outcome
        if drawnTick != peer.game.tick { snapshot.view = peer.game.view() }
        snapshot.links = peer.peerIDs.enumerated().compactMap { index, id in
            guard index != current.start.localSlot.index else { return nil }
            let stats = endpoint.stats(for: id)
            return HumanSeatSnapshot.Link(
                slot: PlayerSlot(index), name: name(PlayerSlot(index)),
                pingMilliseconds: stats?.smoothedRTT.map { Int($0.nanoseconds / 1_000_000) },
                lossPercent: Int(((stats?.lossRate ?? 0) * 100).rounded()))
        }
        snapshot.waitingFor = peer.waitingFor.map(name)
        snapshot.stalledMilliseconds = peer.stalledSince.map { Int((now - $0).nanoseconds / 1_000_000) } ?? 0
        for event in peer.events.dropFirst(current.seatEventCursor) {
            switch event {
            case .chat(let slot, let text, _): events.append(.chat(slot: slot, name: name(slot), text: text))
            case .dropped(let slot, _): events.append(.dropped(slot: slot, name: name(slot)))
            default: break
            }
        }
        current.seatEventCursor = peer.events.count
    }
}
