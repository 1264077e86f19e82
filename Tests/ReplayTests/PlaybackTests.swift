import MeshplayCore
import Replay
import Testing

@Suite("Stepping through a replay")
struct PlaybackTests {
    @Test("playback steps tick by tick, shows each tick's events and reaches the recorded final state")
    func stepsToTheEnd() throws {
        let match = try recordMatch(standardScript())
        let playback = try ReplayPlayback(bytes: match.bytes, catalog: testCatalog)
        #expect(playback.tickCount == Tick(300))
        #expect(playback.tick == .zero)

        var seen: [ReplayTimedEvent] = []
        while let events = try playback.stepForward() {
            let tick = Tick(playback.tick.rawValue - 1)
            seen += events.map { ReplayTimedEvent(tick: tick, event: $0) }
            #expect(events == playback.events(at: tick))
        }
        #expect(playback.isAtEnd)
        #expect(seen == standardScript().events)
        #expect(playback.game.checksum() == match.finalChecksum)
        #expect(playback.game.outcome != nil)
    }

    @Test("seeking back re-simulates to the same state as stepping forward")
    func seekBack() throws {
        let match = try recordMatch(standardScript())
        let playback = try ReplayPlayback(bytes: match.bytes, catalog: testCatalog)
        try playback.seek(to: Tick(130))
        #expect(playback.tick == Tick(130))
        let at130 = playback.game.checksum()
        #expect(at130 == match.checkpoints[13].checksum)
        try playback.seek(to: Tick(290))
        try playback.seek(to: Tick(130))
        #expect(playback.game.checksum() == at130)
        try playback.seek(to: Tick(10_000))
        #expect(playback.tick == Tick(300))
        #expect(playback.chat(before: Tick(121)).count == 3)
    }
}
