import Lockstep
import MeshplayCore
import Testing

/// Rule 5 of the drop protocol: only a side holding a majority of the seats plays on.
@Suite("Only a majority of the seats plays on")
struct MajorityTests {
    static func lostMajority(_ node: MeshHarness.Node) -> (tick: Tick, reachable: [PlayerSlot])? {
        for case .lostMajority(let tick, let reachable) in node.recorder.events { return (tick, reachable) }
        return nil
    }

    @Test("the two lowest seats fall silent at once: the other two stop together, at one tick, and drop nobody")
    func silentHalfWithTheLowestSeat() throws {
        let mesh = try MeshHarness(players: 4, conditions: NetworkConditions(lossPercent: 10), seed: 21)
        mesh.linkTimeout = .seconds(1)
        mesh.schedule(.crash(0), at: .milliseconds(4000))
        mesh.schedule(.crash(1), at: .milliseconds(4000))
        #expect(mesh.run(ticks: 400))
        let ends = [2, 3].compactMap { Self.lostMajority(mesh.nodes[$0]) }
        #expect(ends.count == 2)
        #expect(ends.map(\.tick) == [ends[0].tick, ends[0].tick])
        #expect(ends.allSatisfy { $0.reachable == [PlayerSlot(2), PlayerSlot(3)] })
        #expect(mesh.nodes[2].simulated == mesh.nodes[3].simulated)
        #expect(mesh.nodes[2].simulated == Int(ends[0].tick.rawValue))
        #expect(mesh.nodes[2].recorder.drops.isEmpty)
        #expect(mesh.nodes[2].session.isHalted && mesh.nodes[3].session.isHalted)
    }

    @Test("the same two seats quitting on purpose: the other two drop them and play on")
    func leaversDoNotCountAgainstTheRest() throws {
        let mesh = try MeshHarness(players: 4, conditions: NetworkConditions(lossPercent: 10), seed: 21)
        mesh.linkTimeout = .seconds(1)
        mesh.schedule(.leave(0), at: .milliseconds(4000))
        mesh.schedule(.leave(1), at: .milliseconds(4000))
        #expect(mesh.run(ticks: 400))
        mesh.expectAgreement(ticks: 400)
        #expect(mesh.nodes[2].recorder.drops.count == 2)
        #expect(Self.lostMajority(mesh.nodes[2]) == nil)
        #expect(!mesh.nodes[3].session.isHalted)
    }

    @Test("the two highest seats fall silent: the half with the lowest seat plays on")
    func silentHalfWithoutTheLowestSeat() throws {
        let mesh = try MeshHarness(players: 4, conditions: NetworkConditions(lossPercent: 10), seed: 22)
        mesh.linkTimeout = .seconds(1)
        mesh.schedule(.crash(2), at: .milliseconds(4000))
        mesh.schedule(.crash(3), at: .milliseconds(4000))
        #expect(mesh.run(ticks: 400))
        mesh.expectAgreement(ticks: 400)
        #expect(mesh.nodes[0].recorder.drops.count == 2)
        #expect(Self.lostMajority(mesh.nodes[0]) == nil && Self.lostMajority(mesh.nodes[1]) == nil)
    }
}
