/// Link channel numbers the mesh layer reserves for itself (see MeshProtocol.md).
///
/// Channels `0xF0 ... 0xFF` belong to the mesh layer; upper layers (lockstep,
/// lobby) use `0x00 ... 0xEF` through ``MeshNode``, which refuses the reserved range.
public enum MeshChannel {
    /// Membership sync and updates, reliable, between linked neighbours.
    public static let membership: UInt8 = 0xF0
    /// Relay envelopes whose origin asked for reliable delivery (reliable on every hop).
    public static let relayReliable: UInt8 = 0xF1
    /// Relay envelopes whose origin asked for unreliable delivery (unreliable on every hop).
    public static let relayUnreliable: UInt8 = 0xF2
    /// Inside a relay envelope: an indirect probe asking the target to answer.
    static let probe: UInt8 = 0xF3
    /// Inside a relay envelope: the answer to a probe.
    static let probeAck: UInt8 = 0xF4
    /// The first reserved channel number.
    public static let firstReserved: UInt8 = 0xF0
}
