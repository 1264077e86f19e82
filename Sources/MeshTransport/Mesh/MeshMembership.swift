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
/// Trust: every record is signed by the member it describes (``MemberRecord``), and with
/// ``MeshIntroductions/vouchedOnly`` only peers the layer above vouches for may introduce
/// members, who count once this node has its own handshake with them (MeshProtocol.md,
/// "Who may introduce"). Strangers' links carry their own record and nothing else.
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
        /// Introduced by a vouched peer but not handshaken here yet: not counted, dialled
        /// ``dialsLeft`` more times, then forgotten.
        var isPending = false
        var dialsLeft = 0
        /// An alive member that counts (in ``MeshMembership/members``, the ring, the full-mesh limit).
        var isCounted: Bool { record.status == .alive && !isPending }
    }

    struct Link: Sendable {
        var peer: PeerID
        var address: Address
        var since: Timestamp
        /// The peer's own latest record, checked, as it sent it over this link (nil until it
        /// sends one: a link-only peer never does).
        var ownRecord: MemberRecord<Address>?
        /// When this node last sent the peer its whole view on request (requests are answered once a second at most).
        var viewSentAt: Timestamp?
        /// When a new own record from this peer was last checked (a stranger's, once a second at most).
        var ownRecordCheckedAt: Timestamp?
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
    /// Peers the layer above vouches for, sorted (at most ``MeshConfiguration/maxVouched``).
    public private(set) var vouched: [PeerID] = []
    private var cachedNeighbours: [PeerID]?
    private var signedSelf: MemberRecord<Address>?
    /// A view request is answered at most this often per link.
    private static var viewRequestInterval: TimeSpan { .seconds(1) }

    /// A membership of one (this node).
    public init(identity: NodeIdentity, configuration: MeshConfiguration = MeshConfiguration()) {
        self.identity = identity
        self.peerID = identity.peerID
        self.configuration = configuration
    }

    // MARK: Queries

    /// Alive members, this node included, sorted by peer id.
    public var members: [PeerID] {
        var result = entries.filter(\.isCounted).map(\.record.peer)
        if !isLeaving { result.insert(peerID, at: result.firstIndex { $0 > peerID } ?? result.count) }
        return result
    }

    /// Whether the alive member count allows a full mesh.
    public var isFullMesh: Bool { aliveCount <= configuration.fullMeshLimit }

    /// The status of `peer` as known here (nil if never heard of or forgotten).
    public func status(of peer: PeerID) -> MemberStatus? {
        guard peer != peerID else { return isLeaving ? .left : .alive }
        guard let index = index(of: peer), !entries[index].isPending else { return nil }
        return entries[index].record.status
    }

    /// The signing key of a known member (alive or tombstoned), for checking its signatures.
    public func publicKey(of peer: PeerID) -> Curve25519.Signing.PublicKey? {
        guard peer != peerID else { return identity.publicKey }
        guard let index = index(of: peer), !entries[index].isPending else { return nil }
        return entries[index].record.publicKey
    }

    /// Linked peers that sent their own record (mesh nodes, not link-only peers) but are not
    /// members here: strangers, with ``MeshIntroductions/vouchedOnly``. Sorted.
    public var announcedPeers: [PeerID] {
        links.filter { $0.ownRecord?.status == .alive && status(of: $0.peer) == nil }.map(\.peer)
    }

    /// Members introduced by a vouched peer and not handshaken yet, sorted.
    public var pendingIntroductions: [PeerID] { entries.filter(\.isPending).map(\.record.peer) }

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

    private var aliveCount: Int { entries.reduce(isLeaving ? 0 : 1) { $0 + ($1.isCounted ? 1 : 0) } }

    /// This node's own record, signed (once per incarnation and status).
    private mutating func selfRecord() -> MemberRecord<Address> {
        let status: MemberStatus = isLeaving ? .left : .alive
        if let signedSelf, signedSelf.incarnation == incarnation, signedSelf.status == status { return signedSelf }
        let record = MemberRecord<Address>(signedBy: identity, incarnation: incarnation, status: status)
        signedSelf = record
        return record
    }

    /// Whether `peer`'s records about others count here.
    private func trusts(_ peer: PeerID) -> Bool {
        configuration.introductions == .anyMember || isVouched(peer)
    }

    /// Whether the layer above vouches for `peer`.
    public func isVouched(_ peer: PeerID) -> Bool { vouched.sortedContains(peer) }

    /// Our whole view for `peer`: everything counted to a peer we trust, only our own record to a stranger.
    private mutating func view(for peer: PeerID) -> [UInt8] {
        let me = selfRecord()
        guard trusts(peer) else { return MembershipMessage(kind: .sync, records: [me]).encoded }
        let known = entries.lazy.filter { !$0.isPending }.prefix(MembershipMessage<Address>.maxRecords - 1).map(\.record)
        return MembershipMessage(kind: .sync, records: [me] + known).encoded
    }

    // MARK: Inputs

    /// A link to `peer` at `address` came up: remember it and send our whole view.
    public mutating func linkUp(_ peer: PeerID, address: Address, at now: Timestamp) -> [MembershipDirective<Address>] {
        if let index = linkIndex(of: peer) {
            links[index].address = address
            links[index].since = now
        } else {
            links.insert(Link(peer: peer, address: address, since: now), at: links.firstIndex { $0.peer > peer } ?? links.count)
        }
        var directives: [MembershipDirective<Address>] = []
        if let index = index(of: peer) {
            entries[index].record.address = address
            entries[index].lastHeard = now
            // The handshake proved the introduced member's key: it counts from now on.
            if entries[index].isPending { promote(index, into: &directives) }
        }
        directives.append(.send(view(for: peer), to: peer))
        return directives
    }

    /// The link to `peer` is gone. A member is not lost for that: it is probed through others.
    public mutating func linkLost(_ peer: PeerID, at now: Timestamp) -> [MembershipDirective<Address>] {
        guard let link = linkIndex(of: peer) else { return [] }
        links.remove(at: link)
        if let index = index(of: peer), entries[index].isCounted {
            entries[index].lastHeard = now
            entries[index].nextProbeAt = now
            entries[index].nextConnectAt = now + configuration.reconnectInterval
        }
        return []
    }

    /// Something authenticated from `peer` arrived (a relayed message or a probe answer): it is alive.
    public mutating func heard(from peer: PeerID, at now: Timestamp) {
        if let index = index(of: peer), entries[index].isCounted { entries[index].lastHeard = now }
    }

    /// The peers the layer above vouches for now (a room's members, a match's players):
    /// with ``MeshIntroductions/vouchedOnly`` only they introduce members, and their links
    /// are never pruned. A newly vouched linked peer becomes a member (from the record it
    /// sent over its link), its record is passed on, and it is sent our view and asked for its.
    public mutating func vouch(for peers: [PeerID], at now: Timestamp) -> [MembershipDirective<Address>] {
        var sorted = peers.filter { $0 != peerID }.sorted()
        sorted = sorted.enumerated().filter { $0.offset == 0 || sorted[$0.offset - 1] != $0.element }.map(\.element)
        sorted = Array(sorted.prefix(configuration.maxVouched))
        guard sorted != vouched else { return [] }
        let added = sorted.filter { !isVouched($0) }
        vouched = sorted
        cachedNeighbours = nil
        guard configuration.introductions == .vouchedOnly else { return [] }
        var directives: [MembershipDirective<Address>] = []
        var news: [MemberRecord<Address>] = []
        for peer in added {
            guard let link = linkIndex(of: peer) else { continue }
            if let index = index(of: peer) {
                if entries[index].isPending { promote(index, into: &directives) }
            } else if var own = links[link].ownRecord, own.status == .alive, makeRoom() {
                own.address = links[link].address
                insertCounted(own, at: now, into: &directives)
                news.append(own)
            }
            directives.append(.send(view(for: peer), to: peer))
            directives.append(.send(MembershipMessage<Address>(kind: .request, records: []).encoded, to: peer))
        }
        if !news.isEmpty { spread(news, except: nil, into: &directives) }
        return directives
    }

    /// A membership message from linked neighbour `peer`. Malformed messages are ignored, and
    /// so is every record that is not signed by the member it describes.
    public mutating func receive(_ bytes: [UInt8], from peer: PeerID, at now: Timestamp) -> [MembershipDirective<Address>] {
        guard let link = linkIndex(of: peer), let message = try? MembershipMessage<Address>(decoding: bytes) else { return [] }
        let trusted = trusts(peer)
        var directives: [MembershipDirective<Address>] = []
        if message.kind == .request {
            guard trusted, links[link].viewSentAt.map({ now - $0 >= Self.viewRequestInterval }) ?? true else { return [] }
            links[link].viewSentAt = now
            return [.send(view(for: peer), to: peer)]
        }
        var news: [MemberRecord<Address>] = []
        var refuted = false
        for var record in message.records {
            if record.peer == peerID {
                // Only a peer we trust can make us refute, and only with our own signature.
                guard trusted, record.status != .alive, !isLeaving, record.incarnation >= incarnation, record.isAuthentic else { continue }
                incarnation = record.incarnation &+ 1
                refuted = true
                continue
            }
            if record.peer == peer {
                // The sender's own record: the handshake proved its key; we reach it at the link's address.
                guard record.status != .lost else { continue }
                record.address = links[link].address
                let firstRecord = links[link].ownRecord == nil
                if !keepOwnRecord(record, link: link, checkedNow: trusted ? nil : now) { continue }
                if !trusted, index(of: peer).map({ entries[$0].isPending }) ?? true {
                    // A stranger: kept on its link only. One a vouched peer introduced counts now.
                    if let index = index(of: peer) {
                        promote(index, into: &directives)
                    } else if firstRecord, record.status == .alive {
                        directives.append(.announced(peer))
                    }
                    continue
                }
            } else if !trusted {
                continue
            }
            if merge(record, from: peer, at: now, into: &directives) { news.append(record) }
        }
        heard(from: peer, at: now)
        if refuted { news.insert(selfRecord(), at: 0) }
        if !news.isEmpty {
            cachedNeighbours = nil
            spread(news, except: refuted ? nil : peer, into: &directives)
        }
        return directives
    }

    /// Stores a checked own record on its link; false if it is forged or older than the one kept.
    /// With `checkedNow` (a stranger's link) a new record is checked once a second at most, so a
    /// stranger raising its incarnation in every message cannot make us verify signatures in a loop.
    private mutating func keepOwnRecord(_ record: MemberRecord<Address>, link: Int, checkedNow now: Timestamp? = nil) -> Bool {
        if let kept = links[link].ownRecord {
            if kept.incarnation == record.incarnation, kept.status == record.status { return true }
            guard record.supersedes(incarnation: kept.incarnation, status: kept.status) else { return false }
        }
        if let now {
            if let last = links[link].ownRecordCheckedAt, now - last < Self.viewRequestInterval { return false }
            links[link].ownRecordCheckedAt = now
        }
        guard record.isAuthentic else { return false }
        links[link].ownRecord = record
        return true
    }

    /// Passes news on: to every linked member with ``MeshIntroductions/vouchedOnly`` (never to strangers), else to every link.
    private func spread(_ news: [MemberRecord<Address>], except skipped: PeerID?, into directives: inout [MembershipDirective<Address>]) {
        let update = MembershipMessage(kind: .update, records: news).encoded
        for link in links where link.peer != skipped {
            if configuration.introductions == .vouchedOnly, status(of: link.peer) != .alive { continue }
            directives.append(.send(update, to: link.peer))
        }
    }

    /// Leaves the mesh: tells every neighbour. The shell closes the links a little later.
    public mutating func leave(at now: Timestamp) -> [MembershipDirective<Address>] {
        guard !isLeaving else { return [] }
        isLeaving = true
        let update = MembershipMessage(kind: .update, records: [selfRecord()]).encoded
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
            if entries[index].isPending {
                if dialIntroduced(index, at: now, into: &directives) { index += 1 } else { entries.remove(at: index) }
                continue
            }
            switch entries[index].record.status {
            case .alive:
                if isLinked(peer) {
                    entries[index].lastHeard = now
                } else if full || configuration.introductions == .vouchedOnly || wanted.contains(peer) {
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

    /// Dials an introduced member while it has dials left; false once it should be forgotten.
    private mutating func dialIntroduced(_ index: Int, at now: Timestamp, into directives: inout [MembershipDirective<Address>]) -> Bool {
        guard now >= entries[index].nextConnectAt else { return true }
        guard entries[index].dialsLeft > 0, let address = entries[index].record.address else { return false }
        entries[index].dialsLeft -= 1
        entries[index].nextConnectAt = now + configuration.reconnectInterval
        directives.append(.connect(address))
        return true
    }

    /// An introduced member is handshaken: it counts.
    private mutating func promote(_ index: Int, into directives: inout [MembershipDirective<Address>]) {
        guard entries[index].isPending else { return }
        entries[index].isPending = false
        cachedNeighbours = nil
        directives.append(.joined(entries[index].record.peer))
    }

    /// Adds a member that counts at once (a record over its own link, or any record with ``MeshIntroductions/anyMember``).
    private mutating func insertCounted(_ record: MemberRecord<Address>, at now: Timestamp, into directives: inout [MembershipDirective<Address>]) {
        let entry = Entry(record: record, lastHeard: now, statusSince: now, nextConnectAt: now, nextProbeAt: now + configuration.probeInterval)
        entries.insert(entry, at: entries.firstIndex { $0.record.peer > record.peer } ?? entries.count)
        cachedNeighbours = nil
        directives.append(.joined(record.peer))
    }

    private mutating func connectIfDue(_ index: Int, at now: Timestamp, into directives: inout [MembershipDirective<Address>]) {
        guard let address = entries[index].record.address, now >= entries[index].nextConnectAt else { return }
        directives.append(.connect(address))
        entries[index].nextConnectAt = now + configuration.reconnectInterval
    }

    /// Closes settled links the partial topology does not want.
    private func prune(wanted: [PeerID], at now: Timestamp, into directives: inout [MembershipDirective<Address>]) {
        for link in links where now - link.since >= configuration.pruneAge && !wanted.contains(link.peer) && !isVouched(link.peer) {
            directives.append(.disconnect(link.peer))
        }
    }

    /// Applies one record about another node, sent by `sender` (which we trust, or which the
    /// record describes); true if it was news worth passing on.
    private mutating func merge(
        _ record: MemberRecord<Address>, from sender: PeerID, at now: Timestamp, into directives: inout [MembershipDirective<Address>]
    ) -> Bool {
        let introduced = record.peer != sender
        guard let index = index(of: record.peer) else {
            guard record.status == .alive else { return false }
            let pending = configuration.introductions == .vouchedOnly && introduced && !isLinked(record.peer)
            if pending {
                // Only a dialable member is worth holding, and only so many at once.
                guard record.address != nil, entries.count(where: \.isPending) < configuration.maxPendingIntroductions else { return false }
            }
            guard record.isAuthentic, makeRoom() else { return false }
            guard pending else {
                insertCounted(record, at: now, into: &directives)
                return true
            }
            var entry = Entry(record: record, lastHeard: now, statusSince: now, nextConnectAt: now, nextProbeAt: now)
            entry.isPending = true
            entry.dialsLeft = configuration.introductionDials
            entries.insert(entry, at: entries.firstIndex { $0.record.peer > record.peer } ?? entries.count)
            return false
        }
        var entry = entries[index]
        guard record.supersedes(incarnation: entry.record.incarnation, status: entry.record.status) else {
            if entry.record.address == nil, let address = record.address { entries[index].record.address = address }
            return false
        }
        if record.status == .lost, introduced, isLinked(record.peer) {
            // We still hear it directly: do not evict; tell it, so it refutes with a higher incarnation.
            directives.append(.send(MembershipMessage(kind: .update, records: [record]).encoded, to: record.peer))
            return false
        }
        // A loss is a claim, not a fact, where we watch the member ourselves: our own probes decide.
        if record.status == .lost, configuration.introductions == .vouchedOnly { return false }
        guard record.isAuthentic else { return false }
        if entry.isPending {
            // Not counted, so nobody hears of it: keep the newest incarnation, forget one that left.
            if record.status == .left { entries.remove(at: index) } else { entries[index].record = record }
            return false
        }
        let old = entry.record.status
        entry.record.incarnation = record.incarnation
        entry.record.status = record.status
        entry.record.signature = record.signature
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
        // Vouched members (a room's, a match's) are always wanted, whatever the ring says.
        for peer in vouched where ring.sortedContains(peer) && !result.contains(peer) { result.append(peer) }
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
