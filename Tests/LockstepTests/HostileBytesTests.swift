@testable import Lockstep
import MeshplayCore
import Testing

@Suite("Lockstep wire format and hostile bytes")
struct HostileBytesTests {
    func sampleMessage() -> LockstepMessage {
        LockstepMessage(
            ack: 7, have: [12, 0, 7], lostMask: 0b100,
            slack: SlackReport(throughTick: 30, samples: 90, below: [0, 1, 1, 2, 9, 40, 70, 85, 90]),
            checkpointAck: 20,
            ownFirstTick: 9,
            own: [
                .init(input: PlayerInput(rawValue: 3), chat: nil),
                .init(input: PlayerInput(rawValue: 3), chat: nil),
                .init(input: PlayerInput(rawValue: 65535), chat: "gg ✓"),
            ],
            forwarded: [.init(slot: PlayerSlot(2), firstTick: 5, entries: [.init(input: PlayerInput(rawValue: 1), chat: nil)])],
            checkpoints: [.init(tick: 10, checksum: StateChecksum(rawValue: 0xDEAD_BEEF_0123_4567))]
        )
    }

    @Test func roundTrip() throws {
        let message = sampleMessage()
        #expect(try LockstepMessage(decoding: message.encoded(), playerCount: 3) == message)
        #expect(try LockstepMessage(decoding: message.encoded(checked: false), playerCount: 3, checked: false) == message)
        #expect(throws: DecodingError.self) { try LockstepMessage(decoding: message.encoded(), playerCount: 4) }
    }

    @Test("the common datagram is a few bytes; a compact base is restored from what the receiver holds")
    func compactCommonCase() throws {
        let run = Array(repeating: LockstepMessage.Entry(input: PlayerInput(rawValue: 2), chat: nil), count: 5)
        let message = LockstepMessage(ack: 301, ownFirstTick: 298, own: run, compactBase: true)
        let bytes = message.encoded(checked: false)
        #expect(bytes.count == 4)  // flags, base low byte, ack delta, one packed run (input and length in a byte)
        // The receiver holds the sender's stream up to somewhere in 298 ... 298 + 255.
        for reference in [UInt32(298), 300, 400, 553] {
            #expect(try LockstepMessage(decoding: bytes, playerCount: 2, reference: reference, checked: false) == message)
        }
        #expect(throws: DecodingError.self) { try LockstepMessage(decoding: bytes, playerCount: 2, reference: 3, checked: false) }
        // Runs that do not pack (an input over 15, a run over 16, a chat line) keep the varint coding.
        let wide = [LockstepMessage.Entry(input: PlayerInput(rawValue: 300), chat: nil)]
            + Array(repeating: LockstepMessage.Entry(input: PlayerInput(rawValue: 3), chat: nil), count: 20)
            + [LockstepMessage.Entry(input: PlayerInput(rawValue: 1), chat: "hi")]
        for own in [wide, Array(wide.dropFirst()), Array(wide.dropLast()), Array(wide[1..<17])] {
            let message = LockstepMessage(ack: 2, ownFirstTick: 9, own: own)
            #expect(try LockstepMessage(decoding: message.encoded(checked: false), playerCount: 2, checked: false) == message)
        }
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
        let cases: [[UInt8]] = [
            [0x02, 5, 0xFF, 0xFF, 0x7F],                                   // own run count huge
            [0x12, 5, 0x04, 0xFF, 0xFF, 0x7F],                             // run length huge
            [0x22, 5, 0x04, 0x3F, 0x06, 0x00],                             // runs longer than a block
            [0x12, 5, 0x05, 0xFF, 0xFF, 0x7F],                             // chat length huge
            [0x08, 0x10, 0xFF, 0xFF, 0x7F],                                // forwarded count huge
            [0x08, 0x10, 1, 9, 0, 1, 0, 0],                                // forwarded slot out of range
            [0x08, 0x08, 0xFF, 0x7F],                                      // checkpoint count huge
            [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], // varint overflow
            [0x01, 0x01],                                                  // ack below tick 0
            [0x08, 0x00],                                                  // empty extension
            [0x08, 0x40],                                                  // unknown extension bit
            [0x80],                                                        // packed runs without a block
            [0xD2, 5, 0x4F, 0x4F, 0x4F, 0x4F, 0x4F],                       // packed runs longer than a block
            [0x92, 5],                                                     // packed run missing
            [0x01, 2, 0],                                                  // trailing byte
            [0x08, 0x02, 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0],                 // slack counts more inputs than it saw
            [0x08, 0x02, 1, 2, 1, 1, 1, 0, 0, 0, 0, 0, 0],                 // slack levels add up past the inputs
        ]
        for body in cases {
            #expect(throws: DecodingError.self) { try LockstepMessage(decoding: sealed(body), playerCount: 3) }
        }
        #expect((try? LockstepMessage(decoding: sealed([0x01, 2]), playerCount: 3)) != nil)
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
            case 2: bytes = sealed([0x08, 0x1F] + (0..<random.next(below: 40)).map { _ in UInt8(truncatingIfNeeded: random.next()) })
            default: bytes = sealed([0x08, 0x10, 1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 0, 0])
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
            ack: .max, have: [UInt32.max, UInt32.max], lostMask: .max,
            slack: SlackReport(throughTick: .max, samples: .max, below: Array(repeating: .max, count: SlackReport.levels.count)),
            checkpointAck: .max,
            ownFirstTick: UInt32.max - 64, own: Array(repeating: .init(input: .none, chat: nil), count: 64),
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
