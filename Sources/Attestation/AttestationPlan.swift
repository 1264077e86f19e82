/// Who signs what in one match: the attestation interval and every seat's public key.
public struct AttestationPlan: Hashable, Sendable {
    /// The least game time between attestations. A signature costs 64 bytes plus its tick and
    /// an ack, sent once and again only when lost; every 16 s keeps that under 8 bytes per
    /// player per second on each link even at 20% loss.
    public static let minimumSeconds = 16

    /// Attestations fall at ticks that are positive multiples of this.
    public var interval: Int
    /// Per slot, the 32-byte Ed25519 public key (all zero when unknown: never trusted).
    public var publicKeys: [[UInt8]]

    /// A plan from its fields.
    public init(interval: Int, publicKeys: [[UInt8]]) {
        self.interval = interval
        self.publicKeys = publicKeys
    }

    /// The interval every peer derives from the agreed tick rate and checkpoint interval K:
    /// the first multiple of K at or past ``minimumSeconds`` of game time (so it is a checkpoint tick).
    public static func interval(tickRate: Int, checkpointInterval: Int) -> Int {
        let k = max(1, checkpointInterval)
        let wanted = max(1, tickRate) * minimumSeconds
        return (wanted + k - 1) / k * k
    }
}
