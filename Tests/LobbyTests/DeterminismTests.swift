@testable import Lobby
import MeshplayCore
import MeshTransport
import Testing

@Suite("Seeded runs replay exactly")
struct DeterminismTests {
    static func run(seed: UInt64) -> [[RoomEvent]] {
        var harness = LobbyHarness(nodes: 4, seed: seed)
        harness.connectAll()
        harness.create(0, settings: LobbyHarness.settings(cap: 4, startsWhenFull: true))
        for node in 1..<4 { harness.join(node, host: 0, name: "Zoë") }
        for node in 0..<4 { harness.command(node) { core, now in core.chat("hello from \(node)", at: now) } }
        harness.run(until: .seconds(20)) { h in h.cores.allSatisfy { $0.phase == .running } }
        return harness.events
    }

    @Test func sameSeedSameEvents() {
        let first = Self.run(seed: 91)
        let second = Self.run(seed: 91)
        #expect(first == second)
        #expect(first.allSatisfy { events in events.contains { if case .gameStarted = $0 { true } else { false } } })
    }
}
