import MeshplayCore
import Replay
import Testing

@Suite("Encoder rules")
struct EncoderTests {
    private let header = ReplayHeader(
        game: GridWalker.identity, config: GridWalker.Config().canonicalBytes, seed: 1, players: playerNames(2),
        ticksPerSecond: 20, checkpointInterval: 5)

    @Test("calls out of game order are refused")
    func misuse() throws {
        var encoder = ReplayEncoder()
        let inputs = [PlayerInput.none, .none]
        #expect(throws: ReplayWriteError.self) { try encoder.record(tick: .zero, inputs: inputs) }  // before begin
        try encoder.begin(header)
        #expect(throws: ReplayWriteError.self) { try encoder.begin(header) }
        #expect(throws: ReplayWriteError.self) { try encoder.record(tick: Tick(1), inputs: inputs) }
        #expect(throws: ReplayWriteError.self) { try encoder.record(tick: .zero, inputs: [.none]) }
        try encoder.checkpoint(tick: .zero, checksum: StateChecksum(rawValue: 1))
        #expect(throws: ReplayWriteError.self) { try encoder.checkpoint(tick: .zero, checksum: StateChecksum(rawValue: 1)) }
        try encoder.record(event: .leave(slot: PlayerSlot(1)), at: .zero)
        #expect(throws: ReplayWriteError.self) { try encoder.record(event: .leave(slot: PlayerSlot(1)), at: .zero) }
        #expect(throws: ReplayWriteError.self) { try encoder.record(event: .chat(slot: PlayerSlot(5), text: "?"), at: .zero) }
        try encoder.record(tick: .zero, inputs: inputs)
        #expect(throws: ReplayWriteError.self) { try encoder.record(event: .chat(slot: PlayerSlot(0), text: "late"), at: .zero) }
        #expect(throws: ReplayWriteError.self) { try encoder.checkpoint(tick: Tick(1), checksum: StateChecksum(rawValue: 1)) }
        try encoder.finish(finalChecksum: StateChecksum(rawValue: 2))
        #expect(throws: ReplayWriteError.self) { try encoder.record(tick: Tick(1), inputs: inputs) }
    }

    @Test("headers outside the format's limits are refused")
    func invalidHeaders() {
        var tooMany = header
        tooMany.players = (0..<33).map { PlayerInfo(slot: PlayerSlot($0 % 32), name: "p\($0)") }
        var longName = header
        longName.players[1].name = String(repeating: "x", count: 65)
        var badID = header
        badID.game = GameIdentity(id: "Grid Walker", version: 1)
        var badInterval = header
        badInterval.checkpointInterval = 0
        for bad in [tooMany, longName, badID, badInterval] {
            var encoder = ReplayEncoder()
            #expect(throws: ReplayWriteError.self) { try encoder.begin(bad) }
        }
    }

    @Test("blocks are closed every flush interval, so a reader sees at most that many unflushed ticks")
    func flushInterval() throws {
        var encoder = ReplayEncoder()
        try encoder.begin(header)
        _ = encoder.takeOutput()
        for tick in 0..<19 as Range<UInt32> {
            try encoder.record(tick: Tick(tick), inputs: [PlayerInput(rawValue: UInt16(tick % 3)), .none])
            #expect(!encoder.hasOutput)
        }
        try encoder.record(tick: Tick(19), inputs: [.none, .none])
        #expect(encoder.hasOutput)  // 20 ticks = one second at 20 ticks per second
    }
}
