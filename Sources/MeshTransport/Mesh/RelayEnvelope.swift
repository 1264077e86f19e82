@preconcurrency import Crypto
import MeshplayCore

/// A message travelling through neighbours, signed end to end by its origin.
///
/// Layout (see MeshProtocol.md): kind (1) = 1, hops left (1), then the signed body
/// (flags, origin, target, message id, channel, length-prefixed payload), then the
/// origin's Ed25519 signature (64) over `"meshplay-relay-v1" ‖ body`. Only the hop
/// count is outside the signature, so a relay can shorten a message's life but
/// cannot change who sent it, to whom, which message it is or what it says.
struct RelayEnvelope: Sendable, Equatable {
    static let kind: UInt8 = 1
    static let signatureSize = 64
    /// Bytes around the payload: kind, hops, flags, two peer ids, id, channel, a length of up to 3 bytes, signature.
    static let overhead = 1 + 1 + 1 + 16 + 16 + 8 + 1 + 3 + signatureSize
    static let domain = Array("meshplay-relay-v1".utf8)
    /// The all-zero target means every member (a flood).
    static let everyone = PeerID(high: 0, low: 0)

    var hops: UInt8
    var reliable: Bool
    var origin: PeerID
    var target: PeerID
    var messageID: UInt64
    var channel: UInt8
    var payload: [UInt8]

    var isBroadcast: Bool { target == Self.everyone }

    /// The bytes the origin signs.
    var body: [UInt8] {
        var writer = ByteWriter(capacity: payload.count + 48)
        writer.writeUInt8(reliable ? 1 : 0)
        Self.write(origin, into: &writer)
        Self.write(target, into: &writer)
        writer.writeUInt64(messageID)
        writer.writeUInt8(channel)
        writer.writeLengthPrefixed(payload)
        return writer.bytes
    }

    /// The whole envelope, signed with `identity` (which must be the origin's).
    func sealed(by identity: NodeIdentity) -> [UInt8] {
        let body = body
        return [Self.kind, hops] + body + identity.sign(Self.domain + body)
    }

    /// Parses an envelope; nil if malformed. Does not check the signature (see ``isSigned(_:by:)``).
    static func parse(_ bytes: [UInt8], maxPayload: Int) -> RelayEnvelope? {
        guard bytes.count > 2 + signatureSize, bytes[0] == kind else { return nil }
        var reader = ByteReader(bytes, range: 2 ..< bytes.count - signatureSize)
        do {
            let flags = try reader.readUInt8()
            guard flags <= 1 else { return nil }
            let origin = try read(&reader)
            let target = try read(&reader)
            let messageID = try reader.readUInt64()
            let channel = try reader.readUInt8()
            let payload = try reader.readLengthPrefixed(max: maxPayload)
            try reader.expectEnd("relay body")
            return RelayEnvelope(
                hops: bytes[1], reliable: flags == 1, origin: origin, target: target, messageID: messageID,
                channel: channel, payload: payload)
        } catch {
            return nil
        }
    }

    /// Whether `bytes` (an envelope) carries a valid signature of `publicKey` over its body.
    static func isSigned(_ bytes: [UInt8], by publicKey: Curve25519.Signing.PublicKey) -> Bool {
        let split = bytes.count - signatureSize
        return NodeIdentity.isValidSignature(Array(bytes[split...]), for: domain + bytes[2 ..< split], publicKey: publicKey)
    }

    static func write(_ peer: PeerID, into writer: inout ByteWriter) {
        for shift in stride(from: 56, through: 0, by: -8) { writer.writeUInt8(UInt8(truncatingIfNeeded: peer.high >> UInt64(shift))) }
        for shift in stride(from: 56, through: 0, by: -8) { writer.writeUInt8(UInt8(truncatingIfNeeded: peer.low >> UInt64(shift))) }
    }

    static func read(_ reader: inout ByteReader) throws -> PeerID {
        var high: UInt64 = 0
        var low: UInt64 = 0
        for _ in 0..<8 { high = high << 8 | UInt64(try reader.readUInt8()) }
        for _ in 0..<8 { low = low << 8 | UInt64(try reader.readUInt8()) }
        return PeerID(high: high, low: low)
    }
}
