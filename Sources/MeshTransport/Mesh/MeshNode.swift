import MeshplayCore

/// A node of the peer mesh as the upper layers see it: membership, relay and the
/// links of one ``MeshEndpoint``, composed without I/O.
///
/// The shell feeds it every ``LinkEvent`` of its endpoint through ``handle(_:endpoint:at:into:)``
/// and calls ``tick(endpoint:at:into:)`` every few milliseconds, passing the endpoint so
/// the node can queue messages on links directly. Opening and closing links needs the
/// endpoint's own output, so those come back in the ``MeshOutput`` for the shell to carry
/// out, with the events for the layers above.
///
/// ``send(_:channel:to:reliable:endpoint:)`` reaches any alive member: over the direct
/// link when there is one, otherwise through neighbours, signed end to end. Relayed
/// messages are delivered once but may be reordered relative to direct ones, and a
/// reliable relayed message is reliable on each hop, not end to end (a relay that dies
/// holding it loses it): layers that need more resend, as lockstep does.
public struct MeshNode<Address: MeshAddress>: Sendable {
    /// The membership view.
    public private(set) var membership: MeshMembership<Address>
    private var relay: MeshRelay
    private var closeLinksAt: Timestamp?
    /// Membership timers work in seconds: running them every 50 ms is plenty and keeps big meshes cheap.
    private var nextMembershipTick = Timestamp.zero
    /// Per linked peer, when it last sent a message (or linked), in peer order: idle link-only
    /// peers are closed after ``MeshConfiguration/linkOnlyIdleTimeout``. At most one per link.
    private var linkActivity: [(peer: PeerID, last: Timestamp)] = []
    private static var membershipTickInterval: TimeSpan { .milliseconds(50) }

    /// This node's peer id.
    public var peerID: PeerID { membership.peerID }
    /// The tunables.
    public var configuration: MeshConfiguration { membership.configuration }
    /// Alive members, self included, sorted by peer id.
    public var members: [PeerID] { membership.members }
    /// Relay figures.
    public var relayCounters: RelayCounters { relay.counters }

    /// A node for `identity` (the same identity as its endpoint's), alone in its mesh until it joins.
    public init(identity: NodeIdentity, configuration: MeshConfiguration = MeshConfiguration()) {
        membership = MeshMembership(identity: identity, configuration: configuration)
        relay = MeshRelay(identity: identity, configuration: configuration)
    }

    // MARK: Commands

    /// Joins the mesh through any of these members (a resolver's answer): links to them;
    /// the first to answer shares the member list and the node links to the rest.
    public func join(via addresses: [Address], into output: inout MeshOutput<Address>) {
        output.connects += addresses
    }

    /// Sends to one member: direct if linked, relayed otherwise.
    public mutating func send(
        _ bytes: [UInt8], channel: UInt8, to peer: PeerID, reliable: Bool, endpoint: inout MeshEndpoint<Address>
    ) -> MeshSendResult {
        guard channel < MeshChannel.firstReserved else { return .reservedChannel }
        guard peer != peerID else { return .unknownMember }
        if endpoint.address(of: peer) != nil {
            switch reliable ? endpoint.sendReliable(bytes, channel: channel, to: peer) : endpoint.sendUnreliable(bytes, channel: channel, to: peer) {
            case .queued: return .direct
            case .queueFull: return .queueFull
            case .tooLarge: return .tooLarge
            case .unknownPeer: break
            }
        }
        guard membership.status(of: peer) == .alive else { return .unknownMember }
        return originate(bytes, channel: channel, target: peer, reliable: reliable, endpoint: &endpoint)
    }

    /// Sends to every other member. In a full mesh: one ``send(_:channel:to:reliable:endpoint:)``
    /// per member (the worst result is returned). In a partial mesh: one flood.
    public mutating func broadcast(
        _ bytes: [UInt8], channel: UInt8, reliable: Bool, endpoint: inout MeshEndpoint<Address>
    ) -> MeshSendResult {
        guard channel < MeshChannel.firstReserved else { return .reservedChannel }
        guard !membership.isFullMesh else {
            var worst = MeshSendResult.direct
            for peer in members where peer != peerID {
                let result = send(bytes, channel: channel, to: peer, reliable: reliable, endpoint: &endpoint)
                if result != .direct, worst == .direct || worst == .relayed { worst = result }
            }
            return worst
        }
        return originate(bytes, channel: channel, target: RelayEnvelope.everyone, reliable: reliable, endpoint: &endpoint)
    }

    /// Says which peers the layer above vouches for (a room's members, a match's players;
    /// the whole list each time, at most ``MeshConfiguration/maxVouched``). With
    /// ``MeshIntroductions/vouchedOnly`` only they introduce members; their links are never pruned.
    public mutating func vouch(
        for peers: [PeerID], endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout MeshOutput<Address>
    ) {
        apply(membership.vouch(for: peers, at: now), endpoint: &endpoint, into: &output)
    }

    /// Linked mesh nodes that are not members here (strangers, with ``MeshIntroductions/vouchedOnly``), sorted.
    public var announcedPeers: [PeerID] { membership.announcedPeers }

    /// Leaves the mesh: every neighbour is told now, and links close after ``MeshConfiguration/leaveGrace``.
    public mutating func leave(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout MeshOutput<Address>) {
        apply(membership.leave(at: now), endpoint: &endpoint, into: &output)
        closeLinksAt = now + configuration.leaveGrace
    }

    // MARK: Inputs

    /// Handles one event of the endpoint.
    public mutating func handle(
        _ event: LinkEvent<Address>, endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout MeshOutput<Address>
    ) {
        if configuration.linkOnlyIdleTimeout != nil { noteActivity(event, at: now) }
        switch event {
        case .linkUp(let peer, let address):
            apply(membership.linkUp(peer, address: address, at: now), endpoint: &endpoint, into: &output)
        case .linkLost(let peer, _):
            apply(membership.linkLost(peer, at: now), endpoint: &endpoint, into: &output)
        case .connectFailed:
            break
        case .message(let peer, let channel, let bytes, let reliable):
            switch channel {
            case MeshChannel.membership:
                guard reliable else { return }
                apply(membership.receive(bytes, from: peer, at: now), endpoint: &endpoint, into: &output)
            case MeshChannel.relayReliable, MeshChannel.relayUnreliable:
                receiveRelayed(bytes, from: peer, at: now, endpoint: &endpoint, into: &output)
            case MeshChannel.firstReserved...:
                break
            default:
                output.events.append(.message(from: peer, channel: channel, bytes: bytes, reliable: reliable))
            }
        }
    }

    /// Drives membership timers. Call every few milliseconds (with the endpoint's tick).
    public mutating func tick(endpoint: inout MeshEndpoint<Address>, at now: Timestamp, into output: inout MeshOutput<Address>) {
        if let closeLinksAt {
            if now >= closeLinksAt {
                output.disconnects += endpoint.connectedPeers
                self.closeLinksAt = nil
            }
            return
        }
        guard now >= nextMembershipTick else { return }
        nextMembershipTick = now + Self.membershipTickInterval
        apply(membership.tick(at: now), endpoint: &endpoint, into: &output)
        // Members and seated peers keep their links through a flood of strangers at the link cap.
        endpoint.protect(membership.members + membership.vouched)
        if let idle = configuration.linkOnlyIdleTimeout { closeIdleLinkOnlyPeers(idle: idle, at: now, into: &output) }
    }

    private mutating func noteActivity(_ event: LinkEvent<Address>, at now: Timestamp) {
        let peer: PeerID
        switch event {
        case .linkUp(let up, _): peer = up
        case .message(let from, _, _, _): peer = from
        case .linkLost(let lost, _):
            linkActivity.removeAll { $0.peer == lost }
            return
        case .connectFailed: return
        }
        let index = linkActivity.firstIndex { $0.peer >= peer } ?? linkActivity.count
        if index < linkActivity.count, linkActivity[index].peer == peer {
            linkActivity[index].last = now
        } else {
            linkActivity.insert((peer, now), at: index)
        }
    }

    /// Closes links to non-members that have been silent (no message) for `idle`.
    private mutating func closeIdleLinkOnlyPeers(idle: TimeSpan, at now: Timestamp, into output: inout MeshOutput<Address>) {
        guard linkActivity.contains(where: { now - $0.last >= idle }) else { return }
        let members = membership.members
        var index = 0
        while index < linkActivity.count {
            if now - linkActivity[index].last >= idle {
                if !members.contains(linkActivity[index].peer) {
                    output.disconnects.append(linkActivity.remove(at: index).peer)
                    continue
                }
                // A member may be quiet; look again only after another idle span.
                linkActivity[index].last = now
            }
            index += 1
        }
    }

    // MARK: Internals

    private mutating func originate(
        _ bytes: [UInt8], channel: UInt8, target: PeerID, reliable: Bool, endpoint: inout MeshEndpoint<Address>
    ) -> MeshSendResult {
        guard bytes.count <= MeshRelay.maxPayload(reliable: reliable) else { return .tooLarge }
        let forwards = relay.originate(
            channel: channel, payload: bytes, reliable: reliable, target: target,
            linked: relayNeighbours(endpoint), fullMesh: membership.isFullMesh)
        guard !forwards.isEmpty else { return .unreachable }
        put(forwards, endpoint: &endpoint)
        return .relayed
    }

    private mutating func receiveRelayed(
        _ bytes: [UInt8], from peer: PeerID, at now: Timestamp, endpoint: inout MeshEndpoint<Address>, into output: inout MeshOutput<Address>
    ) {
        // Relayed copies travel only between members (``relayNeighbours(_:)``): one from a
        // stranger or a link-only peer is dropped before its signature costs a check.
        guard membership.status(of: peer) == .alive else { return }
        let membership = self.membership
        let (delivery, forwards) = relay.receive(bytes, from: peer, linked: relayNeighbours(endpoint)) { membership.publicKey(of: $0) }
        put(forwards, endpoint: &endpoint)
        guard let envelope = delivery else { return }
        self.membership.heard(from: envelope.origin, at: now)
        switch envelope.channel {
        case MeshChannel.probe:
            _ = originate([], channel: MeshChannel.probeAck, target: envelope.origin, reliable: true, endpoint: &endpoint)
        case MeshChannel.firstReserved...:
            break
        default:
            output.events.append(.message(from: envelope.origin, channel: envelope.channel, bytes: envelope.payload, reliable: envelope.reliable))
        }
    }

    /// Linked peers that are alive members: relayed copies never go through a link-only
    /// peer (a lobby's room probe, see MeshProtocol.md), which would drop them.
    private func relayNeighbours(_ endpoint: MeshEndpoint<Address>) -> [PeerID] {
        endpoint.connectedPeers.filter { membership.status(of: $0) == .alive }
    }

    private func put(_ forwards: [RelayForward], endpoint: inout MeshEndpoint<Address>) {
        for copy in forwards {
            // A full queue drops this copy; other paths or the origin's resend cover it.
            if copy.reliable {
                _ = endpoint.sendReliable(copy.bytes, channel: MeshChannel.relayReliable, to: copy.neighbour)
            } else {
                _ = endpoint.sendUnreliable(copy.bytes, channel: MeshChannel.relayUnreliable, to: copy.neighbour)
            }
        }
    }

    private mutating func apply(
        _ directives: [MembershipDirective<Address>], endpoint: inout MeshEndpoint<Address>, into output: inout MeshOutput<Address>
    ) {
        for directive in directives {
            switch directive {
            case .send(let bytes, let peer):
                _ = endpoint.sendReliable(bytes, channel: MeshChannel.membership, to: peer)
            case .probe(let peer):
                _ = originate([], channel: MeshChannel.probe, target: peer, reliable: true, endpoint: &endpoint)
            case .connect(let address):
                output.connects.append(address)
            case .disconnect(let peer):
                output.disconnects.append(peer)
            case .forget(let peer):
                relay.forget(peer)
            case .joined(let peer):
                output.events.append(.memberJoined(peer))
            case .left(let peer):
                output.events.append(.memberLeft(peer))
            case .lost(let peer):
                output.events.append(.memberLost(peer))
            case .announced(let peer):
                output.events.append(.nodeAnnounced(peer))
            }
        }
    }
}
