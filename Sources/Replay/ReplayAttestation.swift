import Attestation
import MeshplayCore

/// One player's signature over its statement (``AttestationStatement``) at an attestation tick,
/// as a version 3 replay records it.
public struct ReplayAttestation: Hashable, Sendable {
    /// The signer's seat.
    public var slot: PlayerSlot
    /// The attested tick: a positive multiple of the header's attestation interval.
    public var tick: Tick
    /// The 64-byte Ed25519 signature.
    public var signature: [UInt8]

    /// An attestation from its fields.
    public init(slot: PlayerSlot, tick: Tick, signature: [UInt8]) {
        self.slot = slot
        self.tick = tick
        self.signature = signature
    }

    /// The record's payload: slot (u8), tick (varint), signature (64 bytes).
    func encode(to writer: inout ByteWriter) {
        writer.writeUInt8(slot.rawValue)
        writer.writeVarint(UInt64(tick.rawValue))
        writer.writeBytes(signature)
    }

    /// Reads a record's payload, checking the slot and the tick against the header.
    init(from reader: inout ByteReader, header: ReplayHeader) throws {
        let offset = reader.offset
        guard let plan = header.attestation else { throw DecodingError(offset: offset, reason: "attestation in an unsigned replay") }
        let raw = try reader.readUInt8()
        guard Int(raw) < header.players.count else { throw DecodingError(offset: offset, reason: "attestation for slot \(raw), not a player") }
        slot = PlayerSlot(Int(raw))
        let tickOffset = reader.offset
        let tick = try reader.readVarint(max: Int(UInt32.max), "attestation tick")
        guard tick > 0, tick % plan.interval == 0 else {
            throw DecodingError(offset: tickOffset, reason: "attestation at tick \(tick), not a multiple of \(plan.interval)")
        }
        self.tick = Tick(UInt32(tick))
        signature = try reader.readBytes(count: AttestationStatement.signatureSize)
        try reader.expectEnd("attestation")
    }
}
