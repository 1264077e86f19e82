@preconcurrency import Crypto
import MeshplayCore

/// Counters of the relay layer of one node.
public struct RelayCounters: Sendable, Equatable {
    /// Messages this node sent through neighbours (its own, probes included).
    public var originated: UInt64 = 0
    /// Envelopes that arrived from neighbours, duplicates included.
    public var received: UInt64 = 0
    /// Envelopes passed on to neighbours (each copy counted).
    public var forwarded: UInt64 = 0
    /// Relayed messages delivered here (once each).
    public var delivered: UInt64 = 0
    /// Envelopes dropped as already seen (or our own coming back).
    public var duplicates: UInt64 = 0
    /// Envelopes whose signature did not verify: forged or altered on the way. Dropped.
    public var badSignatures: UInt64 = 0
    /// Envelopes that did not parse. Dropped.
    public var malformed: UInt64 = 0
    /// Envelopes from an origin that is not a known member (no key to check). Dropped.
    public var unknownOrigin: UInt64 = 0
}

/// One copy of an envelope for one neighbour.
struct RelayForward: Sendable {
    var neighbour: PeerID
    var bytes: [UInt8]
    var reliable: Bool
}

/// Flooding with end-to-end signatures, de-duplication and a hop limit (sans-I/O).
///
/// An origin signs each message (origin, target, per-origin message id, channel,
/// payload) and hands it to neighbours. A node that receives it drops it if the id was
/// seen, checks the origin's signature (before recording the id, so a forged copy
/// cannot shadow the real one), delivers it if it is the target (or everyone's), and
/// otherwise passes it on with one hop less: straight to the target if linked, else to
/// every neighbour but the one it came from. Memory is bounded: one fixed window per
/// known origin, removed when the membership forgets the origin.
struct MeshRelay: Sendable {
    let identity: NodeIdentity
    let peerID: PeerID
    let configuration: MeshConfiguration
    private(set) var counters = RelayCounters()
    private var nextMessageID: UInt64 = 1
    // Looked up by key only, never iterated: its order cannot reach the wire.
    private var windows: [PeerID: RelayDedupWindow] = [:]

    init(identity: NodeIdentity, configuration: MeshConfiguration) {
        self.identity = identity
        self.peerID = identity.peerID
        self.configuration = configuration
    }

    /// The largest payload a relayed message may carry.
    static func maxPayload(reliable: Bool) -> Int {
        (reliable ? ReliableWindow.maxMessageSize : ReliableWindow.maxDatagramSize) - RelayEnvelope.overhead
    }

    /// Signs a new message and returns its first copies. `target` ``RelayEnvelope/everyone`` floods.
    /// `linked` is sorted; in a full mesh a targeted message goes through at most
    /// ``MeshConfiguration/relayFanout`` neighbours, the ones nearest the target by XOR distance
    /// (deterministic, and spread over different neighbours for different targets).
    mutating func originate(
        channel: UInt8, payload: [UInt8], reliable: Bool, target: PeerID, linked: [PeerID], fullMesh: Bool
    ) -> [RelayForward] {
        let envelope = RelayEnvelope(
            hops: configuration.hopLimit, reliable: reliable, origin: peerID, target: target,
            messageID: nextMessageID, channel: channel, payload: payload)
        nextMessageID += 1
        counters.originated += 1
        let bytes = envelope.sealed(by: identity)
        var via = linked.filter { $0 != peerID }
        if !envelope.isBroadcast, fullMesh {
            via.sort { Self.distance($0, target) < Self.distance($1, target) }
            via = Array(via.prefix(configuration.relayFanout))
        }
        counters.forwarded += UInt64(via.count)
        return via.map { RelayForward(neighbour: $0, bytes: bytes, reliable: reliable) }
    }

    /// Handles an envelope from neighbour `from`. Returns the envelope if it is for us
    /// (delivered exactly once) and the copies to pass on.
    mutating func receive(
        _ bytes: [UInt8], from: PeerID, linked: [PeerID], publicKey: (PeerID) -> Curve25519.Signing.PublicKey?
    ) -> (delivery: RelayEnvelope?, forwards: [RelayForward]) {
        counters.received += 1
        guard let envelope = RelayEnvelope.parse(bytes, maxPayload: ReliableWindow.maxMessageSize) else {
            counters.malformed += 1
            return (nil, [])
        }
        guard envelope.origin != peerID, windows[envelope.origin]?.isFresh(envelope.messageID) ?? (envelope.messageID != 0) else {
            counters.duplicates += 1
            return (nil, [])
        }
        guard let key = publicKey(envelope.origin) else {
            counters.unknownOrigin += 1
            return (nil, [])
        }
        guard RelayEnvelope.isSigned(bytes, by: key) else {
            counters.badSignatures += 1
            return (nil, [])
        }
        windows[envelope.origin, default: RelayDedupWindow()].record(envelope.messageID)

        let forMe = envelope.target == peerID || envelope.isBroadcast
        if forMe { counters.delivered += 1 }
        var forwards: [RelayForward] = []
        let hops = min(envelope.hops, configuration.maxHopLimit)
        if envelope.target != peerID, hops > 1 {
            var copy = bytes
            copy[1] = hops - 1
            let next: [PeerID]
            if !envelope.isBroadcast, linked.contains(envelope.target) {
                next = [envelope.target]
            } else {
                next = linked.filter { $0 != from && $0 != envelope.origin && $0 != peerID }
            }
            forwards = next.map { RelayForward(neighbour: $0, bytes: copy, reliable: envelope.reliable) }
            counters.forwarded += UInt64(forwards.count)
        }
        return (forMe ? envelope : nil, forwards)
    }

    /// Drops the de-duplication window of an origin the membership forgot.
    mutating func forget(_ origin: PeerID) { windows[origin] = nil }

    private static func distance(_ a: PeerID, _ b: PeerID) -> (UInt64, UInt64) { (a.high ^ b.high, a.low ^ b.low) }
}
