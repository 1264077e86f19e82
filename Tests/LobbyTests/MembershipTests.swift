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

    /// Every member is told who came and who went, and whether they left or were lost, by name.
    @Test func joinsLeavesAndLossesAreToldByName() {
        var harness = LobbyHarness(nodes: 4, seed: 33)
        harness.connectAll()
        harness.create(0, name: "ann")
        harness.join(1, host: 0, name: "bo")
        harness.run(until: .seconds(10)) { $0.cores[1].phase == .waiting }
        harness.join(2, host: 0, name: "cy")
        harness.run(until: .seconds(10)) { h in h.cores[1].members.count == 3 }
        harness.join(3, host: 0, name: "di")
        harness.run(until: .seconds(10)) { h in h.cores.allSatisfy { $0.members.count == 4 } }
        #expect(harness.events[0].filter { if case .memberJoined = $0 { true } else { false } }
            == [.memberJoined(name: "bo"), .memberJoined(name: "cy"), .memberJoined(name: "di")])
        #expect(harness.events[1].contains(.memberJoined(name: "cy")) && harness.events[1].contains(.memberJoined(name: "di")))
        #expect(!harness.events[1].contains(.memberJoined(name: "ann")), "the members already there when we joined are not news")
        harness.command(2) { core, now in core.leave(at: now) }
        harness.crash(3)
        #expect(harness.run(until: .seconds(15)) { h in h.cores[0].members.count == 2 && h.cores[1].members.count == 2 })
        for node in [0, 1] {
            let gone = harness.events[node].filter { if case .memberLeft = $0 { true } else { false } }
            #expect(gone == [.memberLeft(name: "cy", lost: false), .memberLeft(name: "di", lost: true)], "node \(node): \(gone)")
        }
    }

    /// A goodbye the host heard but we did not (a cut link, or just ordering): the host's new
    /// picture drops the member, and we say who left, once.
    @Test func aMemberTheHostDropsIsToldAsLeftEvenWithoutItsGoodbye() {
        var harness = LobbyHarness(nodes: 3, seed: 34, loss: 0)
        harness.connectAll()
        harness.create(0, name: "ann")
        harness.join(1, host: 0, name: "bo")
        harness.run(until: .seconds(10)) { $0.cores[1].phase == .waiting }
        harness.join(2, host: 0, name: "cy")
        #expect(harness.run(until: .seconds(10)) { h in h.cores.allSatisfy { $0.members.count == 3 } })
        let now = harness.network.now
        harness.network.partition([harness.addresses[2]], [harness.addresses[1]], from: now, until: now + .seconds(3600))
        harness.command(2) { core, now in core.leave(at: now) }
        // Well before the 5 s link timeout could tell bo anything.
        #expect(harness.run(until: .seconds(2)) { h in h.cores[1].members.count == 2 })
        harness.run(for: .seconds(8))
        let gone = harness.events[1].filter { if case .memberLeft = $0 { true } else { false } }
        #expect(gone == [.memberLeft(name: "cy", lost: false)])
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
