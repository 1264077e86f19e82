/// What this peer last heard from one other peer.
struct PeerView: Sendable {
    /// Per slot, the first tick of that player's stream the peer does not hold
    /// (its ack of our stream at our slot). The latest report wins: a stale
    /// reordered one is lower, which only costs redundancy.
    var have: [Int]
    /// The peers that peer has declared lost.
    var lostMask: UInt32 = 0
    /// Whether any datagram from the peer was accepted.
    var heard = false
    /// How early our inputs arrive at that peer.
    var slackOfOurInputs: SlackReport?
    /// How early that peer's inputs arrive here.
    var slackOfTheirInputs: ArrivalTally
    /// The highest of our checkpoint ticks the peer holds.
    var checkpointAck: UInt32?
    /// Datagrams sent to that peer (paces the parts that need not ride every datagram).
    var datagramsSent = 0
    /// The last ack of its stream we sent it, and the last checkpoint ack.
    var lastAckSent: Int?
    var lastCheckpointAckSent: UInt32?
    /// Datagrams that still repeat a changed checkpoint ack.
    var checkpointAckRepeats = 0
    /// The tick of our latest attestation the peer acknowledged.
    var attestationAck: UInt32?
    /// `datagramsSent` when our unacknowledged attestation last went to the peer.
    var attestationSentAt: Int?
    /// The highest tick of the peer's attestations received, and an ack of it to send once
    /// (every copy that arrives is acked again: a copy means the ack was lost).
    var attestationHeard: UInt32?
    var attestationAckToSend: UInt32?
    /// The next slack report rides the first datagram once our stream reaches this tick.
    var nextSlackTick = LockstepSession.slackTicks / 2

    init(playerCount: Int, periodMicroseconds: Int64) {
        have = Array(repeating: 0, count: playerCount)
        slackOfTheirInputs = ArrivalTally(periodMicroseconds: periodMicroseconds)
    }
}
