import MeshTransport
import MeshplayCore

/// One node of the adversary: a real sealed endpoint (so it completes handshakes and holds
/// links like anyone on the open lobby) on its own socket, driven by hand, so it says only
/// what an attack makes it say and can withhold any datagram it likes.
final class Stranger {
    let identity: NodeIdentity
    let socket: RawSocket
    private var endpoint: MeshEndpoint<UDPAddress>
    private var output = EndpointOutput<UDPAddress>()
    /// Link events seen, oldest first.
    private(set) var events: [LinkEvent<UDPAddress>] = []
    /// Outgoing datagrams for which this returns false are not sent (an attack's filter).
    var sendFilter: (([UInt8]) -> Bool)?

    /// A stranger with a fresh identity, bound on `ip`.
    init(ip: String = "127.0.0.1", credentials: MeshCredentials = MeshCredentials(meshName: "meshplay-lobby"), seed: UInt64) throws {
        var entropy = SeededEntropy(seed: seed)
        identity = NodeIdentity(entropy: &entropy)
        socket = try RawSocket(ip: ip)
        var configuration = LinkConfiguration()
        // Attacks hold links for tens of seconds without traffic of their own.
        configuration.keepaliveInterval = .milliseconds(500)
        endpoint = MeshEndpoint(identity: identity, credentials: credentials, configuration: configuration, entropy: entropy)
    }

    var peerID: PeerID { identity.peerID }
    var linkedPeers: [PeerID] { endpoint.connectedPeers }

    func connect(to address: UDPAddress) {
        endpoint.connect(to: address, at: Clock.now(), into: &output)
        flush()
    }

    @discardableResult
    func sendReliable(_ bytes: [UInt8], channel: UInt8, to peer: PeerID) -> Bool {
        let queued = endpoint.sendReliable(bytes, channel: channel, to: peer) == .queued
        flush()
        return queued
    }

    /// Reads what arrived, ticks the endpoint and sends what it asks for.
    func pump() {
        let now = Clock.now()
        for (bytes, from) in socket.receive() { endpoint.receive(bytes, from: from, at: now, into: &output) }
        endpoint.tick(at: now, into: &output)
        flush()
    }

    private func flush() {
        endpoint.flush(at: Clock.now(), into: &output)
        for datagram in output.datagrams where sendFilter?(datagram.bytes) ?? true { socket.send(datagram.bytes, to: datagram.address) }
        events += output.events
        output.removeAll()
    }

    /// Forgets the events seen so far (long attacks would hold every message).
    func clearEvents() { events.removeAll(keepingCapacity: true) }
}

/// Pumps `strangers` (and drains `victims`) every millisecond or so for `milliseconds`,
/// or until `until` holds.
@discardableResult
func pump(_ strangers: [Stranger], victims: [RawSocket] = [], milliseconds: Int, until: () -> Bool = { false }) -> Bool {
    let end = Clock.now() + .milliseconds(Int64(milliseconds))
    while Clock.now() < end {
        for stranger in strangers { stranger.pump() }
        for victim in victims { victim.drain() }
        if until() { return true }
        Clock.sleep(milliseconds: 1)
    }
    return until()
}
