import MeshplayCore
import Replay

extension ReplayFile {
    /// The bytes today's `ReplayEncoder` (default configuration) writes for this replay's
    /// contents: equal to the file's own bytes when the file was written by today's encoder.
    func reencoded() throws -> [UInt8] {
        var encoder = ReplayEncoder()
        try encoder.begin(header)
        let inputs = expandedInputs()
        var checkpointIndex = 0
        var eventIndex = 0
        /// Checkpoints, then events, recorded at `tick`: the order within a tick.
        func entries(at tick: UInt32) throws {
            while checkpointIndex < checkpoints.count, checkpoints[checkpointIndex].tick.rawValue == tick {
                try encoder.checkpoint(tick: Tick(tick), checksum: checkpoints[checkpointIndex].checksum)
                checkpointIndex += 1
            }
            while eventIndex < events.count, events[eventIndex].tick.rawValue == tick {
                try encoder.record(event: events[eventIndex].event, at: Tick(tick))
                eventIndex += 1
            }
        }
        for tick in 0..<tickCount.rawValue {
            try entries(at: tick)
            try encoder.record(tick: Tick(tick), inputs: inputs[Int(tick)])
        }
        try entries(at: tickCount.rawValue)
        guard let trailer else { throw ReplayWriteError("a truncated replay cannot be re-encoded whole") }
        let outcome = trailer.outcome.map { GameOutcome(placings: $0.placings, winner: $0.winner, reason: $0.reason) }
        try encoder.finish(finalChecksum: trailer.finalChecksum, outcome: outcome)
        return encoder.takeOutput()
    }
}
