import Foundation
import MeshTransportFuzzing
import MeshplayCore
import Testing
@testable import MeshTransport

/// Replays every input in `FailCases/` (fuzzer finds and hand-made edge cases) through
/// the fuzz entry point and through a live endpoint that has an established link.
@Suite struct FailCasesTests {
    static var failCases: [(name: String, bytes: [UInt8])] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FailCases")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { return nil }
            return (name, [UInt8](data))
        }
    }

    @Test func corpusIsPresent() {
        #expect(Self.failCases.count >= 2)
    }

    @Test func endpointScriptsKeepTheirInvariants() {
        for (_, bytes) in Self.failCases { EndpointFuzzing.exercise(bytes) }
        var random = SeededRandom(seed: 77)
        for _ in 0..<200 {
            let count = Int(random.next(below: 300))
            EndpointFuzzing.exercise((0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        }
        // A scripted happy path: handshake, then traffic both ways, then time passing.
        var script: [UInt8] = Array(repeating: 0, count: 8)
        for _ in 0..<20 { script += [8, 3, 18, 1, 0, 0, 0, 0, 7, 2] }
        let summary = EndpointFuzzing.exercise(script + Array(repeating: 0, count: 100))
        #expect(summary.linksUp == 2)
        #expect(summary.reliableDelivered == 40)
    }

    @Test func everyFailCaseIsHandled() {
        var pair = Pair()
        pair.establishAndTalk()
        let accepted = pair.a.counters.accepted
        for (_, bytes) in Self.failCases {
            PacketFuzzing.exercise(bytes)
            var output = EndpointOutput<SimulatedAddress>()
            pair.a.receive(bytes, from: SimulatedAddress(node: 1), at: pair.now, into: &output)
            pair.a.receive(bytes, from: SimulatedAddress(node: 77), at: pair.now, into: &output)
            #expect(output.datagrams.isEmpty)
            #expect(output.events.isEmpty)
        }
        #expect(pair.a.counters.accepted == accepted)
        #expect(pair.a.stateCount == (1, 0))
    }
}
