@testable import Lobby
import MeshplayCore
import MeshTransport
import Testing

@Suite("Room membership: names, host succession, cap")
struct MembershipTests {
    @Test func clashingUnicodeNamesGetSuffixes() {
        var harness = LobbyHarness(nodes: 4, seed: 21)
        harness.connectAll()
        harness.create(0, name: "Zoë")
        harness.join(1, host: 0, name: "zoë")
        harness.run(until: .seconds(10)) { $0.cores[1].phase == .waiting }
        harness.join(2, host: 0, name: "\u{1B}[1mZoë\u{1B}[0m\u{7}")
        harness.run(until: .seconds(10)) { $0.cores[2].phase == .waiting }
        harness.join(3, host: 0, name: "\u{1B}]0;x\u{7}\u{202E}")
        harness.run(until: .seconds(10)) { h in h.cores.allSatisfy { $0.members.count == 4 } }
        for core in harness.cores {
            #expect(core.members.map(\.name) == ["Zoë", "zoë (2)", "Zoë (3)", "player"])
        }
    }

    @Test func hostLeavesBeforeTheStart() {
        var harness = LobbyHarness(nodes: 5, seed: 31)
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([3, 1, 4, 2], host: 0)
        harness.command(0) { core, now in core.leave(at: now) }
        let newHost = harness.peer(3)  // lowest join order after the creator
        #expect(harness.run(until: .seconds(10)) { h in (1...4).allSatisfy { h.cores[$0].host == newHost && h.cores[$0].members.count == 4 } })
        #expect(harness.cores[3].isHost)
        #expect(harness.events[1].contains(.hostChanged(newHost)))
        // The new host admits and starts.
        harness.join(0, host: 3)
        #expect(harness.run(until: .seconds(10)) { h in h.cores[0].phase == .waiting && h.cores[0].host == newHost })
        #expect(harness.cores[0].members.first?.peer == newHost)
    }

    @Test func crashedHostIsReplaced() {
        var harness = LobbyHarness(nodes: 4, seed: 32)
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([1, 2, 3], host: 0)
        harness.crash(0)
        let newHost = harness.peer(1)
        #expect(harness.run(until: .seconds(15)) { h in (1...3).allSatisfy { h.cores[$0].host == newHost && h.cores[$0].members.count == 3 } })
    }

    @Test func concurrentJoinsNeverExceedTheCap() {
        var harness = LobbyHarness(nodes: 9, seed: 41)
        harness.connectAll()
        harness.create(0, settings: LobbyHarness.settings(cap: 4))
        harness.joinInTurn([1, 2], host: 0)
        for node in 3..<9 { harness.join(node, host: 0) }
        var largest = 0
        for _ in 0..<200 {
            harness.run(for: .milliseconds(50))
            largest = max(largest, harness.cores.map(\.members.count).max() ?? 0)
        }
        #expect(largest == 4)
        let admitted = (3..<9).filter { harness.cores[$0].phase == .waiting }
        let refused = (3..<9).filter { harness.refusals($0) == [.roomFull(room: "arena", cap: 4)] }
        #expect(admitted.count == 1)
        #expect(refused.count == 5)
        #expect(harness.cores[0].members.count == 4)
    }
}
