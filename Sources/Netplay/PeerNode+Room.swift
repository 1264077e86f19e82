import Lobby
import MeshTransport
import MeshplayCore

extension PeerNode {
    // MARK: Commands

    /// Carries out one command from the node's person or pilot.
    public mutating func perform(
        _ command: NodeCommand, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        guard !isStopped, leavingUntil == nil else { return }
        switch command {
        case .createRoom(let settings, let password, let name, let minimum):
            guard room.phase == .idle else { return }
            playerName = name
            failure = nil
            goal = .host(minimumPlayers: max(1, minimum))
            perform(room.create(settings: settings, password: password, name: name, at: now), endpoint: &endpoint, at: now, into: &output)
        case .joinRoom(let name, let password, let player, let timeout):
            guard room.phase == .idle else { return }
            playerName = player
            failure = nil
            let seconds = Int(max(1, timeout.nanoseconds / 1_000_000_000))
            goal = .join(JoinSearch(text: name, target: RoomTarget(parsing: name), password: password, deadline: now + timeout, seconds: seconds))
            nextSearch = now
            roomDuties(endpoint: &endpoint, at: now, into: &output)
        case .watchRoom(let name, let delay, let timeout):
            search(for: name, purpose: .watch(delay: delay), playerName: "", timeout: timeout, endpoint: &endpoint, at: now, into: &output)
        case .rejoinRoom(let name, let player, let timeout):
            search(for: name, purpose: .rejoin, playerName: player, timeout: timeout, endpoint: &endpoint, at: now, into: &output)
        case .setReady(let ready):
            wantsReady = ready
            roomDuties(endpoint: &endpoint, at: now, into: &output)
        case .chat(let text):
            let clean = ChatText.sanitize(text)
            guard !clean.isEmpty else { return }
            if current != nil {
                current!.core.sendChat(clean)
            } else {
                perform(room.chat(clean, at: now), endpoint: &endpoint, at: now, into: &output)
            }
        case .press(let value):
            input.press(value)
        case .leave:
            leave(endpoint: &endpoint, at: now, into: &output)
        }
    }

    /// Looks for a running room to watch or to take a seat in again.
    private mutating func search(
        for name: String, purpose: JoinSearch.Purpose, playerName player: String, timeout: TimeSpan,
        endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        guard room.phase == .idle, current == nil, watching == nil else { return }
        playerName = player
        failure = nil
        let seconds = Int(max(1, timeout.nanoseconds / 1_000_000_000))
        var search = JoinSearch(text: name, target: RoomTarget(parsing: name), password: nil, deadline: now + timeout, seconds: seconds)
        search.purpose = purpose
        goal = .join(search)
        nextSearch = now
        roomDuties(endpoint: &endpoint, at: now, into: &output)
    }

    /// Leaves now, or after the linger when the match here is over and slower peers still play.
    mutating func leave(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        if var match = current {
            if match.core.isFinished || match.lingerUntil != nil {
                match.leaveAfter = true
                current = match
                return
            }
            match.leftEarly = true
            match.endReason = "left the match"
            current = match
            endMatch(endpoint: &endpoint, at: now, into: &output, timedOut: false)
        }
        goal = .none
        perform(room.leave(at: now), endpoint: &endpoint, at: now, into: &output)
        mesh.leave(endpoint: &endpoint, at: now, into: &meshOutput)
        carryOutMesh(endpoint: &endpoint, at: now, into: &output)
        leavingUntil = now + configuration.leaveGrace
    }

    // MARK: Room duties

    /// Before a match: a joiner looks for its room and joins it; members say they are ready
    /// (again, until the host has heard); a host starts once enough are ready.
    mutating func roomDuties(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        switch room.phase {
        case .idle:
            guard case .join(let search) = goal else { return }
            if let decideAt = search.decideAt, now >= decideAt {
                chooseRoom(search, endpoint: &endpoint, at: now, into: &output)
                return
            }
            if now >= search.deadline {
                goal = .none
                let failed = JoinFailure.roomNotFound(room: search.text, seconds: search.seconds, lookedAt: bootstrap.map(\.description))
                failure = failed.description
                emit(.joinFailed(failed), into: &output)
                return
            }
            guard now >= nextSearch else { return }
            nextSearch = now + configuration.searchInterval
            // Rooms are asked of members and of linked nodes nobody vouched for yet alike.
            let nodes = (mesh.members + mesh.announcedPeers).filter { $0 != peerID }
            if nodes.isEmpty { output.connects += bootstrap }
            for member in nodes {
                perform(room.query(member), endpoint: &endpoint, at: now, into: &output)
            }
        case .waiting:
            if wantsReady != readySent || (wantsReady && now >= nextReady) {
                readySent = wantsReady
                nextReady = now + configuration.readyInterval
                perform(room.setReady(wantsReady, at: now), endpoint: &endpoint, at: now, into: &output)
            }
            if room.isHost { startIfEveryoneIsReady(endpoint: &endpoint, at: now, into: &output) }
        case .joining, .starting, .countdown, .running:
            break
        }
    }

    /// A host starts when it is ready itself, the room has its minimum of members (two when
    /// it became host by succession) and every other member is ready.
    private mutating func startIfEveryoneIsReady(
        endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        guard wantsReady, now >= nextStart, current == nil else { return }
        let members = room.memberList
        let minimum = if case .host(let minimum) = goal { minimum } else { 2 }
        guard members.count >= minimum, members.allSatisfy({ $0.member.isReady || $0.member.peer == peerID }) else { return }
        nextStart = now + configuration.startRetryInterval
        perform(room.start(at: now), endpoint: &endpoint, at: now, into: &output)
    }

    /// Weighs the rooms of the asked name heard so far: one open room (or, when every one is
    /// running, the first heard) is joined and pinned; two open rooms refuse the join, naming both ids.
    private mutating func chooseRoom(
        _ search: JoinSearch, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        var search = search
        if search.purpose != .join {
            // Watching or coming back: only a running room will do, and two of the name are ambiguous.
            let running = search.candidates.filter(\.isRunning)
            if running.count > 1 {
                failAmbiguous(search, among: running, into: &output)
                return
            }
            guard let chosen = running.first else {
                search.candidates = []
                search.decideAt = nil
                goal = .join(search)
                return
            }
            follow(chosen, purpose: search.purpose, endpoint: &endpoint, at: now, into: &output)
            return
        }
        let open = search.candidates.filter { !$0.isRunning }
        if open.count > 1 {
            failAmbiguous(search, among: open, into: &output)
            return
        }
        guard let chosen = open.first ?? search.candidates.first else { return }
        search.candidates = []
        search.decideAt = nil
        joinPinned(chosen, search: search, endpoint: &endpoint, at: now, into: &output)
    }

    /// Two rooms of the asked name could be meant: the search ends, naming both ids.
    private mutating func failAmbiguous(_ search: JoinSearch, among rooms: [RoomSummary], into output: inout CoreOutput<Address, NodeEvent>) {
        goal = .none
        let failed = JoinFailure.ambiguous(room: search.target.name ?? search.text, ids: rooms.map(\.roomID).sorted())
        failure = failed.description
        emit(.joinFailed(failed), into: &output)
    }

    /// Subscribes to the match `chosen`'s host plays: to watch it, or to take our seat again.
    private mutating func follow(
        _ chosen: RoomSummary, purpose: JoinSearch.Purpose, endpoint: inout MeshEndpoint<Address>, at now: Timestamp,
        into output: inout CoreOutput<Address, NodeEvent>
    ) {
        goal = .none
        switch purpose {
        case .join: break
        case .watch(let delay):
            watchMatch(from: chosen.host, delay: delay, roomName: chosen.settings.name, endpoint: &endpoint, at: now, into: &output)
        case .rejoin:
            rejoinMatch(from: chosen.host, roomName: chosen.settings.name, endpoint: &endpoint, at: now, into: &output)
        }
    }

    /// Joins `chosen`'s room and pins the search to it: retries only ever go to that host.
    private mutating func joinPinned(
        _ chosen: RoomSummary, search: JoinSearch, endpoint: inout MeshEndpoint<Address>, at now: Timestamp,
        into output: inout CoreOutput<Address, NodeEvent>
    ) {
        var search = search
        search.pinned = chosen.host
        goal = .join(search)
        perform(room.join(host: chosen.host, name: playerName, password: search.password, at: now), endpoint: &endpoint, at: now, into: &output)
    }

    /// A signed room answer while looking: a room the target means is noted (a name alone waits
    /// for others of that name) or, when the target names its id or the search is pinned to it, joined.
    private mutating func heard(
        _ summary: RoomSummary, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        guard case .join(var search) = goal, room.phase == .idle, search.target.matches(summary) else { return }
        if search.purpose != .join, search.target.id != nil {
            guard summary.isRunning else { return }
            follow(summary, purpose: search.purpose, endpoint: &endpoint, at: now, into: &output)
            return
        }
        if let pinned = search.pinned {
            // Pinned: an answer for the same name from another host never replaces the room chosen.
            if summary.host == pinned { joinPinned(summary, search: search, endpoint: &endpoint, at: now, into: &output) }
            return
        }
        if search.target.id != nil {
            joinPinned(summary, search: search, endpoint: &endpoint, at: now, into: &output)
            return
        }
        if let index = search.candidates.firstIndex(where: { $0.host == summary.host }) {
            search.candidates[index] = summary
        } else if search.candidates.count < Self.maxCandidates {
            search.candidates.append(summary)
        }
        if search.decideAt == nil { search.decideAt = now + configuration.roomChoiceWait }
        goal = .join(search)
    }

    // MARK: Room actions and events

    mutating func perform(_ actions: [RoomAction], endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>) {
        for action in actions {
            switch action {
            case .send(let peer, let bytes):
                _ = mesh.send(bytes, channel: RoomCore.channel, to: peer, reliable: true, endpoint: &endpoint)
            case .sendGameChat(let text):
                current?.core.sendChat(text)
            case .event(let event):
                handleRoomEvent(event, endpoint: &endpoint, at: now, into: &output)
            }
        }
    }

    private mutating func handleRoomEvent(
        _ event: RoomEvent, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout CoreOutput<Address, NodeEvent>
    ) {
        switch event {
        case .joined(let settings):
            if case .join = goal { goal = .member }
            readySent = nil
            announcedHost = room.host
            emit(.joinedRoom(settings), into: &output)
        case .refused(let reason):
            guard case .join(let search) = goal else { return }
            switch reason {
            case .busy, .noAnswer, .notHost, .noRoom:
                // Worth asking again: the host may be busy, lost a message, or the room moved.
                nextSearch = now + configuration.searchInterval
            default:
                goal = .none
                let failed = JoinFailure.refused(room: search.target.name ?? search.text, reason: reason)
                failure = failed.description
                emit(.joinFailed(failed), into: &output)
            }
        case .removed(let reason):
            goal = .none
            failure = reason.description
            emit(.removed(reason), into: &output)
        case .countdown(let seconds):
            emit(.notice("Starting in \(seconds)..."), into: &output)
            if current == nil, let start = room.gameStart { prepareMatch(start, at: now, endpoint: endpoint, into: &output) }
        case .gameStarted(let start):
            if current == nil { prepareMatch(start, at: now, endpoint: endpoint, into: &output) }
            guard current != nil else { return }
            current!.core.start(at: now, endpoint: endpoint)
            emit(.matchStarted(slot: start.localSlot, players: start.playerInfos, game: start.game), into: &output)
        case .chat(let line):
            emit(.chat(NodeChatLine(name: line.senderName, text: line.text, slot: nil, isOwn: line.sender == peerID)), into: &output)
        case .chatRefused(let refusal):
            emit(.notice("Chat not sent: \(refusal)."), into: &output)
        case .startAborted(_, _, let reason):
            emit(.notice("The start was called off: \(reason)."), into: &output)
        case .roomInfo(_, let summary):
            if let summary { heard(summary, endpoint: &endpoint, at: now, into: &output) }
        case .memberJoined(let name):
            emit(.notice("\(name) joined the room."), into: &output)
        case .memberLeft(let name, let lost):
            emit(.notice(lost ? "\(name) is gone (lost contact)." : "\(name) left the room."), into: &output)
        case .hostChanged(let host):
            guard host != announcedHost else { return }
            announcedHost = host
            let name = room.memberList.first { $0.member.peer == host }?.member.name ?? "another member"
            emit(.notice(host == peerID ? "You host the room now." : "\(name) hosts the room now."), into: &output)
        case .membersChanged, .startRefused, .starting, .gameOver, .left:
            break
        }
    }
}
