import MeshplayCore
import Replay
import Testing

@Suite("Writing and reading back")
struct RoundTripTests {
    @Test("a recorded match reads back with the same header, inputs and events, and verifies")
    func roundTrip() throws {
        let script = standardScript()
        let match = try recordMatch(script)
        let file = try ReplayFile(bytes: match.bytes)

        #expect(file.header == match.header)
        #expect(file.header.players.map(\.name) == ["ann", "bo", "cy", "di"])
        #expect(file.header.game == GridWalker.identity)
        #expect(file.header.seed == script.seed)
        #expect(file.truncation == nil)
        #expect(file.tickCount == Tick(script.ticks))
        #expect(file.expandedInputs() == match.inputs)
        #expect(file.events == script.events)
        #expect(file.checkpoints == match.checkpoints)
        #expect(file.trailer?.finalChecksum == match.finalChecksum)
        #expect(file.trailer?.outcome == match.outcome.map(ReplayOutcomeSummary.init))

        let report = ReplayVerifier.verify(bytes: match.bytes, catalog: testCatalog)
        #expect(report.status == .ok)
        #expect(report.error == nil)
        #expect(report.ticks == Int(script.ticks))
        #expect(report.finalChecksum == match.finalChecksum)
        #expect(report.players == match.header.players)
        #expect(report.game == GridWalker.identity)
    }

    @Test("recording the same match twice gives byte-identical files")
    func deterministicBytes() throws {
        let first = try recordMatch(standardScript())
        let second = try recordMatch(standardScript())
        #expect(first.bytes == second.bytes)
        var other = standardScript()
        other.seed = 43
        #expect(try recordMatch(other).bytes != first.bytes)
    }

    @Test("a leave really removes the player: dropping it from the file changes the outcome")
    func leaveAffectsSimulation() throws {
        var script = standardScript()
        let withLeave = try recordMatch(script)
        script.events.removeAll { if case .leave = $0.event { return true } else { return false } }
        let withoutLeave = try recordMatch(script)
        #expect(withLeave.finalChecksum != withoutLeave.finalChecksum)
        #expect(ReplayVerifier.verify(bytes: withoutLeave.bytes, catalog: testCatalog).status == .ok)
    }

    @Test("chat lines are cut to the format's limit on a character boundary")
    func chatIsCapped() throws {
        var script = standardScript()
        let long = String(repeating: "é", count: 150)  // 300 bytes
        script.events = [ReplayTimedEvent(tick: Tick(5), event: .chat(slot: PlayerSlot(0), text: long))]
        let file = try ReplayFile(bytes: try recordMatch(script).bytes)
        guard case .chat(_, let text)? = file.events.first?.event else {
            Issue.record("no chat line read back")
            return
        }
        #expect(text == String(repeating: "é", count: 100))
    }

    @Test("the streaming reader reports advances, events and checkpoints in order")
    func streamingReader() throws {
        let match = try recordMatch(standardScript())
        var reader = try ReplayReader(bytes: match.bytes)
        var stepped = 0
        var leaves: [Tick] = []
        var checkpoints = 0
        loop: while true {
            switch try reader.next() {
            case .advance(let count):
                #expect(count > 0)
                stepped += count
            case .event(.leave, let tick): leaves.append(tick)
            case .event, .attestation: break
            case .checkpoint(let checkpoint):
                #expect(Int(checkpoint.tick.rawValue) == stepped)
                checkpoints += 1
            case .end(let trailer):
                #expect(trailer.finalTick == Tick(300))
                break loop
            case .truncated: Issue.record("unexpected truncation"); break loop
            }
        }
        #expect(stepped == 300)
        #expect(leaves == [Tick(120)])
        #expect(checkpoints == 30)
    }
}
