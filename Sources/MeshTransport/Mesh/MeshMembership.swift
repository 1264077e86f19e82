@preconcurrency import Crypto
import MeshplayCore

/// Who is in the mesh, as one node sees it: the sans-I/O membership instance.
///
/// In the style of SWIM: every member has an incarnation number and a status
/// (alive, lost, left); a record with a higher incarnation, or the same incarnation
/// and a graver status, replaces the old one, and a member that hears itself declared
/// lost refutes by raising its incarnation. Records travel hop by hop over links: a
/// whole list when a link comes up, then each record that was news is passed on to the
/// other neighbours once, so every node converges on the same list.
///
/// Failure detection tells a lost node from a broken link: losing the link to a member
/// only starts probes that go *through other members* (relayed, signed end to end);
/// the member is declared lost only if nothing from it arrives by any path for
/// ``MeshConfiguration/failureTimeout``.
///
/// Topology: up to ``MeshConfiguration/fullMeshLimit`` alive members every node links
/// to all; above it each node links to ring neighbours at offsets ±1, ±2, ±n/4, ±n/8 in
/// peer-id order (symmetric, so both ends want the same link) and prunes other links.
///
/// No clocks or randomness: `now` is passed in, and every decision iterates arrays
/// sorted by peer id. Every call returns directives for the shell to carry out.
public struct MeshMembership<Address: MeshAddress>: Sendable {
    struct Entry: Sendable {
        var record: MemberRecord<Address>
        var lastHeard: Timestamp
        var statusSince: Timestamp
        var nextConnectAt: Timestamp
        var nextProbeAt: Timestamp
    }

    struct Link: Sendable {
        var peer: PeerID
        var address: Address
        var since: Timestamp
    }

    /// This node's identity.
    public let identity: NodeIdentity
    /// This node's peer id.
    public let peerID: PeerID
    /// The tunables.
    public let configuration: MeshConfiguration
    /// This node's incarnation (raised to refute a false loss).
    public private(set) var incarnation: UInt32 = 0
    /// True once ``leave(at:)`` was called.
    public private(set) var isLeaving = false

    /// Every other member known, tombstones included, sorted by peer id.
    private(set) var entries: [Entry] = []
    /// Peers with an established link, sorted by peer id.
    private(set) var links: [Link] = []
    private var cachedNeighbours: [PeerID]?

    /// A membership of one (this node).
    public init(identity: NodeIdentity, configuration: MeshConfiguration = MeshConfiguration()) {
        self.identity = identity
        self.peerID = identity.peerID
        self.configuration = configuration
    }

    // MARK: Queries

    /// Alive members, this node included, sorted by peer id.
    public var members: [PeerID] {
        var result = entries.filter { $0.record.status == .alive }.map(\.record.peer)
        if !isLeaving { result.insert(peerID, at: result.firstIndex { $0 > peerID } ?? result.count) }
        return result
    }

    /// Whether the alive member count allows a full mesh.
    public var isFullMesh: Bool { aliveCount <= configuration.fullMeshLimit }

    /// The status of `peer` as known here (nil if never heard of or forgotten).
    public func status(of peer: PeerID) -> MemberStatus? {
        peer == peerID ? (isLeaving ? .left : .alive) : index(of: peer).map { entries[$0].record.status }
    }

    /// The signing key of a known member (alive or tombstoned), for checking its signatures.
    public func publicKey(of peer: PeerID) -> Curve25519.Signing.PublicKey? {
        peer == peerID ? identity.publicKey : index(of: peer).map { entries[$0].record.publicKey }
    }

    /// Linked peers, sorted.
    public var linkedPeers: [PeerID] { links.map(\.peer) }

    /// Whether there is an established link to `peer`.
    public func isLinked(_ peer: PeerID) -> Bool { linkIndex(of: peer) != nil }

    /// The peers this node wants links to: every other alive member in a full mesh,
    /// its ring neighbours in a partial one.
    public var wantedNeighbours: [PeerID] {
        mutating get {
            if let cachedNeighbours { return cachedNeighbours }
            let computed = computeWantedNeighbours()
            cachedNeighbours = computed
            return computed
        }
    }

    private var aliveCount: Int { entries.reduce(isLeaving ? 0 : 1) { $0 + ($1.record.status == .alive ? 1 : 0) } }

    private var selfRecord: MemberRecord<Address> {
        MemberRecord(peer: peerID, publicKey: identity.publicKey, incarnation: incarnation, status: isLeaving ? .left : .alive, address: nil)
    }

    // MARK: Inputs

    /// A link to `peer` at `address` came up: remember it and send our whole view.
    public mutating func linkUp(_ peer: PeerID, address: Address, at now: Timestamp) -> [MembershipDirective<Address>] {
        if let index = linkIndex(of: peer) {
            links[index] = Link(peer: peer, address: address, since: now)
        } else {
            links.insert(Link(peer: peer, address: address, since: now), at: links.firstIndex { $0.peer > peer } ?? links.count)
        }
        if let index = index(of: peer) {
            entries[index].record.address = address
            entries[index].lastHeard = now
        }
        let view = [selfRecord] + entries.prefix(MembershipMessage<Address>.maxRecords - 1).map(\.record)
        return [.send(MembershipMessage(kind: .sync, records: view).encoded, to: peer)]
    }

    /// The link to `peer` is gone. A member is not lost for that: it is probed through others.
    public mutating func linkLost(_ peer: PeerID, at now: Timestamp) -> [MembershipDirective<Address>] {
        guard let link = linkIndex(of: peer) else { return [] }
        links.remove(at: link)
        if let index = index(of: peer), entries[index].record.status == .alive {
            entries[index].lastHeard = now
            entries[index].nextProbeAt = now
            entries[index].nextConnectAt = now + configuration.reconnectInterval
        }
        return []
    }

    /// Something authenticated from `peer` arrived (a relayed message or a probe answer): it is alive.
    public mutating func heard(from peer: PeerID, at now: Timestamp) {
        if let index = index(of: peer), entries[index].record.status == .alive { entries[index].lastHeard = now }
    }

    /// A membership message from linked neighbour `peer`. Malformed messages are ignored.
    public mutating func receive(_ bytes: [UInt8], from peer: PeerID, at now: Timestamp) -> [MembershipDirective<Address>] {
        guard let message = try? MembershipMessage<Address>(decoding: bytes) else { return [] }
        let linkAddress = linkIndex(of: peer).map { links[$0].address }
        var directives: [MembershipDirective<Address>] = []
        var news: [MemberRecord<Address>] = []
        var refuted = false
        for var record in message.records {
            // The sender's own record gets the address we actually reach it at.
            if record.peer == peer, let linkAddress { record.address = linkAddress }
            if record.peer == peerID {
                if record.status != .alive, !isLeaving, record.incarnation >= incarnation {
                    incarnation = record.incarnation &+ 1
                    refuted = true
                }
                continue
            }
            if merge(record, at: now, into: &directives) { news.append(record) }
        }
        heard(from: peer, at: now)
        if refuted { news.insert(selfRecord, at: 0) }
        if !news.isEmpty {
            cachedNeighbours = nil
            let update = MembershipMessage(kind: .update, records: news).encoded
            for link in links where link.peer != peer || refuted { directives.append(.send(update, to: link.peer)) }
        }
        return directives
    }

    /// Leaves the mesh: tells every neighbour. The shell closes the links a little later.
    public mutating func leave(at now: Timestamp) -> [MembershipDirective<Address>] {
        guard !isLeaving else { return [] }
        isLeaving = true
        let update = MembershipMessage(kind: .update, records: [selfRecord]).encoded
        return links.map { .send(update, to: $0.peer) }
    }

    /// Drives probes, loss declarations, connection attempts, pruning and tombstone expiry.
    public mutating func tick(at now: Timestamp) -> [MembershipDirective<Address>] {
        guard !isLeaving else { return [] }
        var directives: [MembershipDirective<Address>] = []
        let full = isFullMesh
        let wanted = wantedNeighbours
        var declared: [MemberRecord<Address>] = []
        var index = 0
        while index < entries.count {
            let peer = entries[index].record.peer
            switch entries[index].record.status {
            case .alive:
                if isLinked(peer) {
                    entries[index].lastHeard = now
                } else if full || wanted.contains(peer) {
                    if now - entries[index].lastHeard >= configuration.failureTimeout {
                        entries[index].record.status = .lost
                        entries[index].statusSince = now
                        declared.append(entries[index].record)
                        directives.append(.lost(peer))
                        cachedNeighbours = nil
                    } else {
                        if now >= entries[index].nextProbeAt {
                            directives.append(.probe(peer))
                            entries[index].nextProbeAt = now + configuration.probeInterval
                        }
                        connectIfDue(index, at: now, into: &directives)
                    }
                } else {
                    // Not ours to watch in a partial mesh: its neighbours report its loss.
                    entries[index].lastHeard = now
                }
            case .lost:
                if now - entries[index].statusSince >= configuration.tombstoneLifetime {
                    directives.append(.forget(peer))
                    entries.remove(at: index)
                    continue
                }
                // A lost member may only be cut off from us: keep trying, so a healed split re-merges.
                if full { connectIfDue(index, at: now, into: &directives) }
            case .left:
                if now - entries[index].statusSince >= configuration.tombstoneLifetime {
                    directives.append(.forget(peer))
                    entries.remove(at: index)
                    continue
                }
            }
            index += 1
        }
        if !declared.isEmpty {
            let update = MembershipMessage(kind: .update, records: declared).encoded
            for link in links { directives.append(.send(update, to: link.peer)) }
        }
        if !full { prune(wanted: wanted, at: now, into: &directives) }
        return directives
    }

    // MARK: Internals

    private mutating func connectIfDue(_ index: Int, at now: Timestamp, into directives: inout [MembershipDirective<Address>]) {
        guard let address = entries[index].record.address, now >= entries[index].nextConnectAt else { return }
        directives.append(.connect(address))
        entries[index].nextConnectAt = now + configuration.reconnectInterval
    }

    /// Closes settled links the partial topology does not want.
    private func prune(wanted: [PeerID], at now: Timestamp, into directives: inout [MembershipDirective<Address>]) {
        for link in links where now - link.since >= configuration.pruneAge && !wanted.contains(link.peer) {
            directives.append(.disconnect(link.peer))
        }
    }

    /// Applies one record about another node; true if it was news worth passing on.
    private mutating func merge(_ record: MemberRecord<Address>, at now: Timestamp, into directives: inout [MembershipDirective<Address>]) -> Bool {
        guard let index = index(of: record.peer) else {
            guard record.status == .alive, makeRoom() else { return false }
            let entry = Entry(record: record, lastHeard: now, statusSince: now, nextConnectAt: now, nextProbeAt: now + configuration.probeInterval)
            entries.insert(entry, at: entries.firstIndex { $0.record.peer > record.peer } ?? entries.count)
            directives.append(.joined(record.peer))
            return true
        }
        var entry = entries[index]
        guard record.supersedes(incarnation: entry.record.incarnation, status: entry.record.status) else {
            if entry.record.address == nil, let address = record.address { entries[index].record.address = address }
            return false
        }
        if record.status == .lost, isLinked(record.peer) {
            // We still hear it directly: do not evict; tell it, so it refutes with a higher incarnation.
            directives.append(.send(MembershipMessage(kind: .update, records: [record]).encoded, to: record.peer))
            return false
        }
        let old = entry.record.status
        entry.record.incarnation = record.incarnation
        entry.record.status = record.status
        if let address = record.address, !isLinked(record.peer) { entry.record.address = address }
        if record.status != old { entry.statusSince = now }
        if record.status == .alive { entry.lastHeard = now }
        entries[index] = entry
        switch (old, record.status) {
        case (.alive, .lost): directives.append(.lost(record.peer))
        case (.alive, .left): directives.append(.left(record.peer))
        case (.lost, .alive), (.left, .alive):
            entries[index].nextConnectAt = now
            directives.append(.joined(record.peer))
        default: break
        }
        return true
    }

    /// Ensures a free slot in the member table, evicting the oldest tombstone if needed.
    private mutating func makeRoom() -> Bool {
        guard entries.count >= configuration.maxMembers - 1 else { return true }
        var oldest: Int?
        for index in entries.indices where entries[index].record.status != .alive {
            if oldest.map({ entries[index].statusSince < entries[$0].statusSince }) ?? true { oldest = index }
        }
        guard let oldest else { return false }
        entries.remove(at: oldest)
        return true
    }

    private func computeWantedNeighbours() -> [PeerID] {
        let ring = members
        guard ring.count > configuration.fullMeshLimit, let me = ring.firstIndex(of: peerID) else {
            return ring.filter { $0 != peerID }
        }
        let n = ring.count
        var offsets: [Int] = []
        for candidate in [1, 2, n / 4, n / 8, n / 16, 3] where candidate > 0 && candidate < n && !offsets.contains(candidate) {
            if offsets.count * 2 < max(configuration.partialNeighbours, 2) { offsets.append(candidate) }
        }
        var result: [PeerID] = []
        for offset in offsets {
            for position in [(me + offset) % n, (me - offset + n) % n] where ring[position] != peerID && !result.contains(ring[position]) {
                result.append(ring[position])
            }
        }
        return result.sorted()
    }

    private func index(of peer: PeerID) -> Int? {
        var low = 0
        var high = entries.count
        while low < high {
            let mid = (low + high) / 2
            if entries[mid].record.peer < peer { low = mid + 1 } else { high = mid }
        }
        return low < entries.count && entries[low].record.peer == peer ? low : nil
    }

    private func linkIndex(of peer: PeerID) -> Int? { links.firstIndex { $0.peer == peer } }
}
