@testable import Lockstep
import MeshplayCore
import MeshplayTestSupport
import Testing

@Suite("Lockstep: seat requests and taking a dropped seat again")
struct RejoinTests {
    typealias Entry = LockstepMessage.Entry

    func seat(_ slot: Int, _ tick: UInt32) -> LockstepMessage.Seat { .init(slot: PlayerSlot(slot), tick: tick) }

    @Test("entries with seat requests and chat survive the wire, in own and forwarded blocks")
    func seatRequestsRoundTrip() throws {
        let one = PlayerInput(rawValue: 1)
        let own: [Entry] = [
            Entry(input: one), Entry(input: one),
            // A seat request with the same input as its neighbours must not melt into their run.
            Entry(input: one, seat: seat(2, 140)),
            Entry(input: one),
            Entry(input: PlayerInput(rawValue: 65535), chat: "back soon", seat: seat(31, UInt32.max)),
            Entry(input: one, chat: "gg"),
        ]
        let message = LockstepMessage(
            ack: 3, have: [9, 9, 9], ownFirstTick: 100, own: own,
            forwarded: [.init(slot: PlayerSlot(1), firstTick: 7, entries: [Entry(input: .none, seat: seat(0, 50)), Entry(input: .none)])])
        let decoded = try LockstepMessage(decoding: message.encoded(), playerCount: 3)
        #expect(decoded == message)
        #expect(decoded.own[2].seat == seat(2, 140) && decoded.own[3].seat == nil)
        #expect(try LockstepMessage(decoding: message.encoded(checked: false), playerCount: 3, checked: false) == message)
    }

    @Test("a seat slot of 32 or more, and every truncation of a seat request, are refused")
    func malformedSeatsAreRefused() throws {
        let message = LockstepMessage(ownFirstTick: 0, own: [Entry(input: PlayerInput(rawValue: 1), seat: seat(5, 40))])
        let bytes = message.encoded(checked: false)
        // flags (own, one run), first tick 0, input 1 << 2 | seat flag, slot, tick.
        #expect(bytes == [0x12, 0, 0x06, 5, 40])
        var last = bytes
        last[3] = 31
        #expect(try LockstepMessage(decoding: last, playerCount: 2, checked: false).own.first?.seat == seat(31, 40))
        for slot: UInt8 in [32, 33, 0xFF] {
            var bad = bytes
            bad[3] = slot
            #expect(throws: DecodingError.self) { try LockstepMessage(decoding: bad, playerCount: 2, checked: false) }
        }
        for length in 0..<bytes.count {
            #expect(throws: DecodingError.self) { try LockstepMessage(decoding: Array(bytes.prefix(length)), playerCount: 2, checked: false) }
        }
        // A seat tick past UInt32 is refused too.
        #expect(throws: DecodingError.self) {
            try LockstepMessage(decoding: [0x12, 0, 0x06, 5, 0x80, 0x80, 0x80, 0x80, 0x10], playerCount: 2, checked: false)
        }
    }

    @Test("a seat request in one peer's stream re-seats a crashed slot on every peer at the same tick", arguments: [UInt64(1), 2, 3])
    func seatRequestReseatsEverywhere(seed: UInt64) async throws {
        try await OffThePool.compute {
            let mesh = try MeshHarness(players: 4, conditions: NetworkConditions(lossPercent: 10, duplicatePercent: 5, reorderPercent: 5), seed: seed)
            mesh.linkTimeout = .seconds(1)
            mesh.schedule(.crash(3), at: .milliseconds(3000))
            #expect(mesh.run(ticks: 200))
            let drop = try #require(mesh.nodes[0].recorder.drops.first)
            #expect(drop.tick.map { $0.rawValue < 150 } == true, "\(drop)")

            // Slot 1 (not the first peer) asks for seat 3; every survivor reads it at the same tick of its stream.
            mesh.nodes[1].loop.requestSeat(for: PlayerSlot(3), lead: 45)
            var target = 200
            while mesh.survivors.contains(where: { mesh.nodes[$0].seatsScheduled.isEmpty }), target < 260 {
                target += 1
                #expect(mesh.run(ticks: target))
            }
            let scheduled = try #require(mesh.nodes[0].seatsScheduled.first)
            #expect(scheduled.slot == PlayerSlot(3))
            for index in [0, 1, 2] {
                #expect(mesh.nodes[index].seatsScheduled.map(\.slot) == [PlayerSlot(3)])
                #expect(mesh.nodes[index].seatsScheduled.map(\.tick) == [scheduled.tick], "node \(index)")
            }
            let seatTick = Int(scheduled.tick.rawValue)
            #expect(seatTick > target && seatTick <= target + 45 + 10, "seat at \(seatTick), announced by tick \(target)")

            // The crashed node comes back, fed the match by slot 2, and plays on from the seat tick.
            try mesh.restart(3, resumingAt: seatTick, feeder: 2)
            let end = seatTick + 300
            #expect(mesh.run(ticks: end))
            mesh.expectAgreement(ticks: end)
            let returned = LockstepEvent.rejoined(slot: PlayerSlot(3), tick: scheduled.tick)
            for node in mesh.nodes {
                #expect(node.recorder.events == [drop, returned], "\(node.recorder.events)")
                #expect(!node.session.isHalted && !node.session.isHeld)
                // Every game has the player back (and so counts its inputs again).
                #expect((node.loop.game as? GameInstance<CounterGame>)?.state.present == [true, true, true, true])
            }
            // From the seat tick on, slot 3 plays what the restarted node set, in order.
            let applied = mesh.collapse(mesh.nodes[0].recorder.inputs[seatTick..<end].map { $0[3] })
            let set = mesh.collapse(mesh.nodes[3].setInputs)
            #expect(applied.count > 3 && Array(set.prefix(applied.count)) == applied, "applied \(applied.prefix(12)) vs set \(set.prefix(12))")
            // Between its drop and the seat tick it played nothing.
            let dropTick = Int(try #require(drop.tick).rawValue)
            #expect(mesh.nodes[0].recorder.inputs[dropTick..<seatTick].allSatisfy { $0[3] == .none })
        }
    }

    @Test("a seat request for a slot that is still playing changes nothing")
    func seatRequestForALiveSlotIsIgnored() throws {
        let mesh = try MeshHarness(players: 3, conditions: NetworkConditions(lossPercent: 10), seed: 8)
        #expect(mesh.run(ticks: 60))
        mesh.nodes[0].loop.requestSeat(for: PlayerSlot(2), lead: 20)
        #expect(mesh.run(ticks: 200))
        mesh.expectAgreement(ticks: 200)
        mesh.expectNoInputLostOrDuplicated(ticks: 200)
        for node in mesh.nodes {
            #expect(node.seatsScheduled.isEmpty)
            #expect(node.recorder.events.isEmpty)
        }
    }
}
