import MeshplayCore
import Replay
import Testing

@Suite("Replay size")
struct FileSizeTests {
    @Test("8 players changing input about every 4 ticks cost well under 2 bytes per player per tick")
    func bytesPerPlayerPerTick() throws {
        var script = MatchScript()
        script.players = 8
        script.ticks = 36_000  // ten minutes at 60 ticks per second
        script.ticksPerSecond = 60
        script.checkpointInterval = 60
        script.config = GridWalker.Config(length: 1_000_000)
        let match = try recordMatch(script)
        let perPlayerTick = Double(match.bytes.count) / Double(script.ticks) / 8
        #expect(perPlayerTick < 2)
        // The figure is deterministic; pin it so a format change that bloats files is noticed.
        // 146,057 bytes for 36,000 ticks of 8 players: about 0.51 bytes per player per tick.
        #expect(match.bytes.count == 146_057, "per player per tick: \(perPlayerTick)")
    }
}
