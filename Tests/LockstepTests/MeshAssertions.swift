import Lockstep
import MeshplayCore
import Testing

/// Checks shared by the mesh tests.
extension MeshHarness {
    /// Every survivor applied the same inputs and saw the same checksums and events for the first `ticks` ticks.
    func expectAgreement(ticks: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let alive = survivors
        guard let first = alive.first else { return }
        let reference = nodes[first].recorder
        for index in alive {
            let recorder = nodes[index].recorder
            #expect(recorder.inputs.count >= ticks, "node \(index) simulated \(recorder.inputs.count) of \(ticks)", sourceLocation: sourceLocation)
            let count = min(ticks, recorder.inputs.count, reference.inputs.count)
            #expect(Array(recorder.inputs.prefix(count)) == Array(reference.inputs.prefix(count)), "node \(index) applied other inputs", sourceLocation: sourceLocation)
            let checks = recorder.checkpoints.filter { Int($0.tick.rawValue) < count }
            let referenceChecks = reference.checkpoints.filter { Int($0.tick.rawValue) < count }
            #expect(checks == referenceChecks, "node \(index) has other checksums", sourceLocation: sourceLocation)
            #expect(recorder.events == reference.events, "node \(index) saw other events", sourceLocation: sourceLocation)
            #expect(recorder.desyncs.isEmpty, sourceLocation: sourceLocation)
            #expect(nodes[index].session.stats.largestDatagram <= 1100, sourceLocation: sourceLocation)
        }
    }

    /// No input lost, reordered or invented: per slot, the applied stream (runs collapsed)
    /// is exactly the sequence of values that player's harness set, up to the drop tick.
    func expectNoInputLostOrDuplicated(ticks: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let first = survivors.first else { return }
        let applied = nodes[first].recorder.inputs.prefix(ticks)
        for slot in 0..<playerCount {
            var dropTick = applied.count
            for case .dropped(let dropped, let tick) in nodes[first].recorder.events where dropped.index == slot {
                dropTick = min(dropTick, Int(tick.rawValue))
            }
            let stream = collapse(applied.prefix(dropTick).map { $0[slot] })
            let set = collapse(nodes[slot].setInputs)
            #expect(stream.count <= set.count && Array(set.prefix(stream.count)) == stream,
                    "slot \(slot): applied \(stream.prefix(20)) vs set \(set.prefix(20))", sourceLocation: sourceLocation)
        }
    }

    /// Each repeated value kept once, so a delay change's repeated tick does not count as a duplicate.
    func collapse(_ inputs: [PlayerInput]) -> [PlayerInput] {
        var result: [PlayerInput] = []
        for input in inputs where result.last != input { result.append(input) }
        return result
    }
}
