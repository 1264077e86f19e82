@preconcurrency import Crypto
import MeshplayCore

/// One node's end of the mesh: every link that one socket carries, keyed by peer.
///
/// A sans-I/O value type. The shell (``MeshUDPNode`` over real UDP, or
/// ``SimulatedNetwork``) calls ``receive(_:from:at:into:)`` for each datagram,
/// ``tick(at:into:)`` every few milliseconds and ``flush(at:into:)`` after a batch
/// of receives or sends, then sends the datagrams and reports the events left in
/// the ``EndpointOutput``. The endpoint never reads a clock, socket or random source
/// of its own; randomness comes from the ``EntropySource`` given at creation.
///
/// Datagrams are demultiplexed by the receiver session id in their header.
/// Handshakes use a stateless cookie (see PacketFormat.md), so an address that has
/// not proven it knows the mesh password, holds a signing key and receives at its
/// address costs no memory here.
public struct MeshEndpoint<Address: LinkAddress>: Sendable {
    /// This node's signing identity.
    public let identity: NodeIdentity
    /// This node's peer id (from ``identity``).
    public let peerID: PeerID
    /// The tunables every link uses.
    public let configuration: LinkConfiguration
    /// Receive-side counters (accepted and rejected datagrams, cookies sent).
    public internal(set) var counters = EndpointCounters()

    let credentials: MeshCredentials
    let handshakeSealer: PacketSealer
    let cookies: CookieJar
    var entropy: any EntropySource
    @usableFromInline var links: [LinkCore<Address>] = []
    /// Addresses punched toward or relayed through, for ``path(to:)``.
    private var notedPaths: [(address: Address, path: LinkPath)] = []
    var linkBySession: [UInt32: Int] = [:]
    @usableFromInline var linkByPeer: [PeerID: Int] = [:]
    /// The link ``sendReliable(_:channel:to:)`` used last: any index, checked against the peer before use.
    @usableFromInline var lastSentLink = 0
    /// Peers whose links are never closed to make room at the link cap, sorted (see ``protect(_:)``).
    private(set) var protectedPeers: [PeerID] = []
    var pending: [PendingConnection<Address>] = []
    /// Initiator ephemeral keys of recent initiations we answered (at most 256): a replayed
    /// initiation must not bring up a link again after the original one has gone.
    var recentInitiations: [[UInt8]] = []
    /// Bytes left for out-of-order fragments over all links (see `LinkConfiguration.maxReassemblyBytes`).
    var reassemblyBudgetLeft: Int

    /// An endpoint for `identity` on the mesh described by `credentials`.
    /// `entropy` supplies every random byte the endpoint needs: ``SystemEntropy`` on
    /// a real network, ``SeededEntropy`` in tests and simulations.
    public init(identity: NodeIdentity, credentials: MeshCredentials, configuration: LinkConfiguration = LinkConfiguration(), entropy: some EntropySource) {
        self.identity = identity
        self.peerID = identity.peerID
        self.configuration = configuration
        reassemblyBudgetLeft = configuration.maxReassemblyBytes
        self.credentials = credentials
        self.handshakeSealer = PacketSealer(key: credentials.handshakeKey, domain: PacketSealer.handshakeDomain)
        var entropy = entropy
        self.cookies = CookieJar(secret: SymmetricKey(data: entropy.bytes(32)), bucket: configuration.cookieBucket)
        self.entropy = entropy
    }

    // MARK: Queries

    /// Peers with an established link, sorted.
    public var connectedPeers: [PeerID] { links.map(\.peer).sorted() }

    /// The address a peer's link currently sends to.
    public func address(of peer: PeerID) -> Address? {
        linkByPeer[peer].map { links[$0].address }
    }

    /// RTT, loss and traffic figures for the link to `peer`.
    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    public func stats(for peer: PeerID) -> LinkStats? {
        linkByPeer[peer].map { links[$0].stats }
    }

    /// How much per-peer state exists: established links and outgoing connection attempts.
    /// Strangers never make either grow.
    public var stateCount: (links: Int, pendingConnections: Int) { (links.count, pending.count) }

    /// The addresses the links run at now (a relayed link's is its relay port), in link order.
    public var linkAddresses: [Address] { links.map(\.address) }

    // MARK: Commands

    /// Starts a handshake with the node at `address`. The outcome is a
    /// ``LinkEvent/linkUp(peer:address:)`` or a ``LinkEvent/connectFailed(address:)``.
    /// Does nothing if a link or an attempt to that address already exists.
    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    public mutating func connect(to address: Address, at now: Timestamp, into output: inout EndpointOutput<Address>) {
        guard !links.contains(where: { $0.address == address }), !pending.contains(where: { $0.address == address }) else { return }
        var attempt = PendingConnection(
            address: address, helloNonce: entropy.next(), ephemeral: makeEphemeral(), localSession: freshSession(),
            startedAt: now)
        sendHandshake(for: &attempt, at: now, into: &output)
        pending.append(attempt)
    }

    /// The hole-punching datagram: four bytes, shorter than any packet header, so every
    /// endpoint drops it (counted as rejected). Its use is leaving: it makes this host's NAT
    /// expect datagrams from the address it went to. One that arrives tells the receiver its
    /// link to the sender is punched (``path(to:)``), so both ends of a link say so.
    public static var punchDatagram: [UInt8] { Array("MPPH".utf8) }

    /// Sends one ``punchDatagram`` to `address`, so a newcomer dialling this endpoint from there
    /// gets through this host's NAT (its router now takes the newcomer's datagrams for replies).
    /// Callers pace it (``PunchPacer``): it goes to an address nobody proved.
    public mutating func punch(toward address: Address, into output: inout EndpointOutput<Address>) {
        sendCleartext(OutgoingDatagram(address: address, bytes: Self.punchDatagram), into: &output)
    }

    /// Sends a cleartext datagram the socket's shell was asked for by a rendezvous node: a punch,
    /// or the bind of a relay port. Nothing of a link's: its bytes are the caller's, paced by it.
    public mutating func sendCleartext(_ datagram: OutgoingDatagram<Address>, into output: inout EndpointOutput<Address>) {
        counters.punchesSent += 1
        output.datagrams.append(datagram)
        note(datagram.bytes == Self.punchDatagram ? .punched : .relayed, at: datagram.address)
    }

    /// Notes how links at `address` run (``path(to:)``): punched toward it, relayed through it.
    /// At most 64 addresses are kept, the oldest forgotten first (its links then show as direct).
    public mutating func note(_ path: LinkPath, at address: Address) {
        guard path != .direct else { return }
        notedPaths.removeAll { $0.address == address }
        if notedPaths.count >= 64 { notedPaths.removeFirst() }
        notedPaths.append((address, path))
    }

    /// The signing key `peer` proved in its handshake, while linked (its peer id is the key's digest).
    public func publicKey(of peer: PeerID) -> Curve25519.Signing.PublicKey? {
        linkByPeer[peer].flatMap { links[$0].peerKey }
    }

    /// How the link to `peer` runs, or nil without one.
    public func path(to peer: PeerID) -> LinkPath? {
        guard let index = linkByPeer[peer] else { return nil }
        let address = links[index].address
        return notedPaths.last { $0.address == address }?.path ?? .direct
    }

    /// Queues a reliable-ordered message (at most 64 KiB) for `peer` on `channel`.
    /// Messages to one peer arrive exactly once, in the order sent, across all channels.
    /// At the per-link buffer bound nothing is queued and ``SendResult/queueFull`` is returned.
    /// Inlinable: a caller in another module calls it once per message, and the generic entry
    /// point costs more than the queueing itself.
    @inlinable
    public mutating func sendReliable(_ bytes: [UInt8], channel: UInt8, to peer: PeerID) -> SendResult {
        guard bytes.count <= ReliableWindow.maxMessageSize else { return .tooLarge }
        // Messages come in runs to one peer: its link is checked before the table is hashed.
        let index: Int
        if lastSentLink < links.count, links[lastSentLink].peer == peer {
            index = lastSentLink
        } else {
            guard let found = linkByPeer[peer] else { return .unknownPeer }
            index = found
            lastSentLink = found
        }
        guard links[index].sender.bufferedBytes + bytes.count <= configuration.maxSendBufferBytes else { return .queueFull }
        links[index].enqueueReliable(channel: channel, bytes: bytes)
        return .queued
    }

    /// Queues an unreliable datagram (at most 1100 bytes) for `peer` on `channel`:
    /// delivered at most once, possibly out of order, never retransmitted.
    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    public mutating func sendUnreliable(_ bytes: [UInt8], channel: UInt8, to peer: PeerID) -> SendResult {
        guard bytes.count <= ReliableWindow.maxDatagramSize else { return .tooLarge }
        guard let index = linkByPeer[peer] else { return .unknownPeer }
        guard links[index].unreliableCount < configuration.maxUnreliableQueue else { return .queueFull }
        links[index].enqueueUnreliable(channel: channel, bytes: bytes)
        return .queued
    }

    /// Closes the link to `peer`: sends a close frame, drops its queues and reports
    /// ``LinkEvent/linkLost(peer:reason:)`` with ``LinkLossReason/closedLocally``.
    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    /// Says which peers' links must survive a flood at ``LinkConfiguration/maxLinks`` (a mesh's
    /// members, a room's seats): the whole list each time. Other links a peer opened to us may be
    /// closed to let a newcomer in.
    public mutating func protect(_ peers: [PeerID]) {
        let sorted = peers.sorted()
        if sorted != protectedPeers { protectedPeers = sorted }
    }

    func isProtected(_ peer: PeerID) -> Bool { protectedPeers.sortedContains(peer) }

    public mutating func disconnect(_ peer: PeerID, at now: Timestamp, into output: inout EndpointOutput<Address>) {
        guard let index = linkByPeer[peer] else { return }
        links[index].closePending = true
        links[index].flush(at: now, into: &output)
        removeLink(at: index, reason: .closedLocally, into: &output)
    }

    /// Packs everything queued into datagrams. Call after a batch of receives and sends.
    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    public mutating func flush(at now: Timestamp, into output: inout EndpointOutput<Address>) {
        for index in links.indices { links[index].flush(at: now, into: &output) }
    }

    /// Drives timers: retransmissions, acknowledgements, keepalives, link timeouts and
    /// handshake retries. Call every few milliseconds; it flushes too.
    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    public mutating func tick(at now: Timestamp, into output: inout EndpointOutput<Address>) {
        var index = pending.count - 1
        while index >= 0 {
            if now - pending[index].startedAt >= configuration.connectTimeout {
                output.events.append(.connectFailed(address: pending[index].address))
                pending.remove(at: index)
            } else if now - pending[index].lastSentAt >= configuration.handshakeRetryInterval {
                var attempt = pending[index]
        sendHandshake(for: &attempt, at: now, into: &output)
        pending[index] = attempt
            }
            index -= 1
        }
        index = links.count - 1
        while index >= 0 {
            if let reason = links[index].tick(at: now) { removeLink(at: index, reason: reason, into: &output) }
            index -= 1
        }
        flush(at: now, into: &output)
    }

    /// Handles one received datagram. Anything that does not authenticate is
    /// counted in ``counters`` and otherwise ignored, with no reply and no state.
    @specialized(where Address == UDPAddress)
    @specialized(where Address == SimulatedAddress)
    public mutating func receive(_ datagram: [UInt8], from address: Address, at now: Timestamp, into output: inout EndpointOutput<Address>) {
        guard let header = try? PacketHeader(parsing: datagram) else {
            counters.rejected += 1
            // A punch from `address`: its host opened its NAT toward us, so the link that comes
            // (or came) at that address runs through that hole. Only a label, never a downgrade
            // of a relayed one: a forged punch can change nothing but a word on a screen.
            if datagram.count == 4, datagram == Self.punchDatagram, !notedPaths.contains(where: { $0.address == address }) {
                note(.punched, at: address)
            }
            return
        }
        if header.type == .data {
            guard let index = linkBySession[header.session] else {
                counters.rejected += 1
                return
            }
            switch links[index].receive(datagram, header: header, budget: &reassemblyBudgetLeft, at: now, into: &output) {
            case .rejected:
                counters.rejected += 1
            case .accepted:
                counters.accepted += 1
                if links[index].address != address { links[index].address = address }
            case .lost(let reason):
                counters.accepted += 1
                removeLink(at: index, reason: reason, into: &output)
            }
            return
        }
        receiveHandshake(datagram, header: header, from: address, at: now, into: &output)
    }

    // MARK: Link table

    mutating func addLink(_ link: LinkCore<Address>, into output: inout EndpointOutput<Address>) {
        if let existing = linkByPeer[link.peer] { removeLink(at: existing, reason: .replaced, into: &output) }
        let index = links.count
        links.append(link)
        linkBySession[link.localSession] = index
        linkByPeer[link.peer] = index
        output.events.append(.linkUp(peer: link.peer, address: link.address))
    }

    mutating func removeLink(at index: Int, reason: LinkLossReason, into output: inout EndpointOutput<Address>) {
        let peer = links[index].peer
        reassemblyBudgetLeft += links[index].receiver.bufferedBytes
        linkBySession[links[index].localSession] = nil
        linkByPeer[peer] = nil
        let last = links.count - 1
        if index != last {
            links.swapAt(index, last)
            linkBySession[links[index].localSession] = index
            linkByPeer[links[index].peer] = index
        }
        links.removeLast()
        output.events.append(.linkLost(peer: peer, reason: reason))
    }

    mutating func freshSession() -> UInt32 {
        while true {
            let candidate = UInt32(truncatingIfNeeded: entropy.next())
            if candidate != 0, linkBySession[candidate] == nil, !pending.contains(where: { $0.localSession == candidate }) {
                return candidate
            }
        }
    }

    mutating func makeEphemeral() -> Curve25519.KeyAgreement.PrivateKey {
        // Any 32 bytes are a valid X25519 private key.
        try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: entropy.bytes(32))
    }
}
