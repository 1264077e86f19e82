import MeshplayCore
import Testing
@testable import MeshTransport

@Suite struct RelayCodecTests {
    @Test func dedupWindowAcceptsEachIdOnceAndForgetsOnlyBeyondItsWidth() {
        var window = RelayDedupWindow()
        #expect(!window.isFresh(0))
        for id: UInt64 in [5, 3, 4, 1, 2000, 1500, 977] {
            #expect(window.isFresh(id))
            window.record(id)
            #expect(!window.isFresh(id))
        }
        #expect(!window.isFresh(5))
        #expect(window.isFresh(1999))
        #expect(!window.isFresh(2000 - 1025))
        #expect(window.isFresh(2000 - 1024))
    }

    @Test func envelopeRoundTripsAndOnlyHopsAreOutsideTheSignature() throws {
        var entropy = SeededEntropy(seed: 3)
        let identity = NodeIdentity(entropy: &entropy)
        let envelope = RelayEnvelope(hops: 8, reliable: false, origin: identity.peerID, target: RelayEnvelope.everyone, messageID: 42, channel: 5, payload: [1, 2, 3])
        var bytes = envelope.sealed(by: identity)
        #expect(RelayEnvelope.parse(bytes, maxPayload: 10) == envelope)
        #expect(RelayEnvelope.isSigned(bytes, by: identity.publicKey))
        bytes[1] = 3
        #expect(RelayEnvelope.isSigned(bytes, by: identity.publicKey))
        for position in 2..<bytes.count {
            var tampered = bytes
            tampered[position] ^= 0x80
            #expect(!RelayEnvelope.isSigned(tampered, by: identity.publicKey), "byte \(position)")
        }
        #expect(RelayEnvelope.parse(Array(bytes.prefix(60)), maxPayload: 10) == nil)
    }

    @Test func membershipMessagesRoundTripAndRefuseOversizedLists() throws {
        var entropy = SeededEntropy(seed: 4)
        let identity = NodeIdentity(entropy: &entropy)
        var record = MemberRecord<SimulatedAddress>(signedBy: identity, incarnation: 7, status: .alive)
        record.address = SimulatedAddress(node: 9)
        // A loss claim rides on the member's alive signature.
        record.status = .lost
        let message = MembershipMessage(kind: .update, records: [record, record])
        let decoded = try MembershipMessage<SimulatedAddress>(decoding: message.encoded)
        #expect(decoded.records.map(\.peer) == [identity.peerID, identity.peerID])
        #expect(decoded.records[0].address == SimulatedAddress(node: 9))
        #expect(decoded.records[0].incarnation == 7 && decoded.records[0].status == .lost)
        #expect(decoded.records[0].isAuthentic)
        // Raising the incarnation, or turning the claim into `left`, breaks the signature.
        var raised = decoded.records[0]
        raised.incarnation = 8
        #expect(!raised.isAuthentic)
        var left = decoded.records[0]
        left.status = .left
        #expect(!left.isAuthentic)
        // Version 1 (unsigned records) is refused.
        var versionOne = message.encoded
        versionOne[0] = 1
        #expect(throws: (any Error).self) { try MembershipMessage<SimulatedAddress>(decoding: versionOne) }
        var huge = ByteWriter()
        huge.writeUInt8(2)
        huge.writeUInt8(1)
        huge.writeVarint(100_000)
        #expect(throws: (any Error).self) { try MembershipMessage<SimulatedAddress>(decoding: huge.bytes) }
    }
}
