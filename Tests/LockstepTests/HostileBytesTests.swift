@testable import Lockstep
import MeshplayCore
import Testing

@Suite("Lockstep wire format and hostile bytes")
struct HostileBytesTests {
    func sampleMessage() -> LockstepMessage {
        LockstepMessage(
            have: [12, 0, 7], lostMask: 0b100,
            slack: SlackReport(windowStart: 30, minimumSlackMicroseconds: -4500),
            checkpointAck: 20,
            blocks: [.init(slot: PlayerSlot(0), firstTick: 9, entries: [
                .init(input: PlayerInput(rawValue: 3), chat: nil),
                .init(input: PlayerInput(rawValue: 65535), chat: "gg ✓"),
            ])],
            checkpoints: [.init(tick: 10, checksum: StateChecksum(rawValue: 0xDEAD_BEEF_0123_4567))]
        )
    }

    @Test func roundTrip() throws {
        let message = sampleMessage()
        #expect(try LockstepMessage(decoding: message.encoded(), playerCount: 3) == message)
        #expect(throws: DecodingError.self) { try LockstepMessage(decoding: message.encoded(), playerCount: 4) }
    }

    @Test("every truncation and every single-byte change is refused")
    func truncatedAndCorrupt() {
        let bytes = sampleMessage().encoded()
        for length in 0..<bytes.count {
            #expect(throws: DecodingError.self) { try LockstepMessage(decoding: Array(bytes.prefix(length)), playerCount: 3) }
        }
        for index in bytes.indices {
            var corrupt = bytes
            corrupt[index] ^= 0x40
            #expect(throws: DecodingError.self) { try LockstepMessage(decoding: corrupt, playerCount: 3) }
        }
    }

    /// A body with a valid check trailer, so the decoder's limits are what must refuse it.
    func sealed(_ body: [UInt8]) -> [UInt8] {
        var writer = ByteWriter()
        writer.writeBytes(body)
        writer.writeUInt32(LockstepMessage.check(of: body[...]))
        return writer.bytes
    }

    @Test("huge claimed counts are refused before allocating")
    func hugeCounts() {
        let header: [UInt8] = [0x4C, 0x53, 1]
        let cases: [[UInt8]] = [
            header + [0xFF, 0xFF, 0xFF, 0xFF, 0x0F],                       // have count 2^32
            header + [3, 1, 2, 3, 0, 0, 0, 0xFF, 0xFF, 0x7F],              // block count huge
            header + [3, 1, 2, 3, 0, 0, 0, 1, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F], // entry count huge
            header + [3, 1, 2, 3, 0, 0, 0, 1, 0, 0, 1, 1, 0xFF, 0xFF, 0x7F], // chat length huge
            header + [3, 1, 2, 3, 0, 0, 0, 1, 9, 0, 0, 0],                 // slot out of range
            header + [3, 1, 2, 3, 0, 0, 0, 0, 0xFF, 0x7F],                 // checkpoint count huge
            header + [3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], // varint overflow
            header + [3, 1, 2, 3, 0, 0, 0, 0, 0, 0],                       // trailing byte
        ]
        for body in cases {
            #expect(throws: DecodingError.self) { try LockstepMessage(decoding: sealed(body), playerCount: 3) }
        }
        #expect((try? LockstepMessage(decoding: sealed(header + [3, 1, 2, 3, 0, 0, 0, 0, 0]), playerCount: 3)) != nil)
    }

    @Test("hostile datagrams mid-game never crash and change nothing")
    func hostileInjection() throws {
        let conditions = NetworkConditions(lossPercent: 20, duplicatePercent: 10, reorderPercent: 10)
        let clean = try MeshHarness(players: 3, conditions: conditions, seed: 99)
        #expect(clean.run(ticks: 300))
        let attacked = try MeshHarness(players: 3, conditions: conditions, seed: 99)
        var random = SeededRandom(seed: 1234)
        let genuine = sampleMessage().encoded()
        for step in 0..<600 {
            let kind = random.next(below: 4)
            var bytes: [UInt8]
            switch kind {
            case 0: bytes = (0..<random.next(below: 1500)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            case 1: bytes = Array(genuine.prefix(random.nextIndex(below: genuine.count)))
            case 2: bytes = sealed([0x4C, 0x53, 1, 3] + (0..<random.next(below: 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            default: bytes = sealed([0x4C, 0x53, 1, 3, 1, 1, 1, 0, 0, 0, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
            }
            let to = random.nextIndex(below: 3)
            // Claimed senders include the receiver itself and slots outside the game.
            let from = random.nextIndex(below: 5)
            attacked.schedule(.inject(to: to, from: from, bytes: bytes), at: .milliseconds(Int64(step) * 15 + 3))
        }
        #expect(attacked.run(ticks: 300))
        attacked.expectAgreement(ticks: 300)
        for index in 0..<3 {
            #expect(attacked.nodes[index].recorder.checkpoints == clean.nodes[index].recorder.checkpoints)
            #expect(Array(attacked.nodes[index].recorder.inputs.prefix(300)) == Array(clean.nodes[index].recorder.inputs.prefix(300)))
            #expect(attacked.nodes[index].session.stats.decodeErrors > 100)
        }
    }
}

@Suite("Lockstep session against hostile fields")
struct HostileFieldTests {
    @Test("extreme values in a well-formed datagram neither trap nor break the session")
    func extremeFields() {
        var session = LockstepSession(configuration: LockstepConfiguration(localSlot: PlayerSlot(0), playerCount: 2))
        let message = LockstepMessage(
            have: [UInt32.max, UInt32.max], lostMask: .max,
            slack: SlackReport(windowStart: 0, minimumSlackMicroseconds: .min),
            checkpointAck: .max,
            blocks: [.init(slot: PlayerSlot(1), firstTick: UInt32.max - 64, entries: Array(repeating: .init(input: .none, chat: nil), count: 64))],
            checkpoints: [.init(tick: .max, checksum: StateChecksum(rawValue: 1))]
        )
        // The lost mask names us: we are out of the game, and say so once.
        let actions = session.receive(message.encoded(), from: PlayerSlot(1), at: .milliseconds(5))
        #expect(actions == [.dropped(slot: PlayerSlot(0), atTick: .zero)])
        var calm = LockstepSession(configuration: LockstepConfiguration(localSlot: PlayerSlot(0), playerCount: 2))
        var quieter = message
        quieter.lostMask = 0
        _ = calm.receive(quieter.encoded(), from: PlayerSlot(1), at: .milliseconds(5))
        for step in 0..<10 { _ = calm.tick(at: .milliseconds(UInt64(step) * 33)) }
        #expect(calm.currentInputDelay <= calm.configuration.maximumInputDelay)
        #expect(calm.nextTickToSimulate == .zero)
        #expect(calm.stats.decodeErrors == 0)
    }
}
