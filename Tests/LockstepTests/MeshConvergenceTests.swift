import Lockstep
import MeshplayCore
import MeshplayTestSupport
import Testing

@Suite("Lockstep over a lossy mesh")
struct MeshConvergenceTests {
    @Test("peers agree on every input and checksum", arguments: [2, 4, 8], [UInt64(0), 20, 30])
    func convergence(players: Int, loss: UInt64) async throws {
        try await OffThePool.compute {
            let conditions = NetworkConditions(
                latency: .milliseconds(30), jitter: .milliseconds(10),
                lossPercent: loss, duplicatePercent: 10, reorderPercent: 10
            )
            let mesh = try MeshHarness(players: players, conditions: conditions, seed: UInt64(players) * 1000 + loss)
            let ticks = 600
            #expect(mesh.run(ticks: ticks))
            mesh.expectAgreement(ticks: ticks)
            mesh.expectNoInputLostOrDuplicated(ticks: ticks)
            for node in mesh.nodes { #expect(node.recorder.checkpoints.count >= ticks / 10) }
        }
    }

    @Test("a peer muted for a while is named as the culprit, and nothing is dropped")
    func stallNamesCulprit() throws {
        let mesh = try MeshHarness(players: 4, conditions: NetworkConditions(lossPercent: 10), seed: 7)
        mesh.linkTimeout = .seconds(2)
        // Everything slot 2 sends is lost between 3 s and 4 s: shorter than the link timeout.
        mesh.network.blocks = { from, _, now in from.index == 2 && now >= .milliseconds(3000) && now < .milliseconds(4000) }
        #expect(mesh.run(ticks: 300))
        mesh.expectAgreement(ticks: 300)
        for index in [0, 1, 3] {
            let during = mesh.nodes[index].stalls.filter { $0.time >= .milliseconds(3200) && $0.time < .milliseconds(4000) }
            #expect(!during.isEmpty, "node \(index) should stall while slot 2 is silent")
            #expect(during.allSatisfy { $0.waitingFor == [PlayerSlot(2)] }, "node \(index): \(during.map(\.waitingFor))")
            #expect(mesh.nodes[index].recorder.drops.isEmpty)
        }
    }

    @Test("in-game chat shows in the same order, at the same tick, on every peer")
    func chatOrder() throws {
        let conditions = NetworkConditions(latency: .milliseconds(40), jitter: .milliseconds(15), lossPercent: 20, duplicatePercent: 10, reorderPercent: 10)
        let mesh = try MeshHarness(players: 4, conditions: conditions, seed: 42)
        let lines: [(Int, String, Int64)] = [
            (0, "hello", 1000), (1, "hi all", 1000), (2, "gg", 1000), (3, "ünïcödé ✓", 1500),
            (0, "second from p1", 1500), (0, "third from p1", 1500), (1, String(repeating: "x", count: 300), 2000),
        ]
        for (slot, text, millis) in lines { mesh.schedule(.chat(slot, text), at: .milliseconds(millis)) }
        #expect(mesh.run(ticks: 150))
        mesh.expectAgreement(ticks: 150)
        let chats = mesh.nodes[0].recorder.chats
        #expect(chats.count == lines.count)
        var texts: [String] = []
        for case .chat(_, let text, _) in chats { texts.append(text) }
        #expect(texts.contains(String(repeating: "x", count: 160)))
        // One player's lines keep their order.
        let fromP1 = texts.filter { ["hello", "second from p1", "third from p1"].contains($0) }
        #expect(fromP1 == ["hello", "second from p1", "third from p1"])
    }
}

@Suite("Lockstep datagram budget")
struct DatagramBudgetTests {
    @Test("a chat flood during an outage keeps every datagram under 1100 bytes and loses no line")
    func chatFloodFits() throws {
        let mesh = try MeshHarness(players: 3, conditions: NetworkConditions(lossPercent: 20, duplicatePercent: 5), seed: 31)
        mesh.network.blocks = { from, _, now in from.index == 0 && now >= .milliseconds(1000) && now < .milliseconds(1600) }
        let line = String(repeating: "é", count: 80)
        for index in 0..<60 { mesh.schedule(.chat(0, "\(index) \(line)"), at: .milliseconds(900)) }
        #expect(mesh.run(ticks: 250))
        mesh.expectAgreement(ticks: 250)
        #expect(mesh.nodes[1].recorder.chats.count == 60)
        for node in mesh.nodes { #expect(node.session.stats.largestDatagram <= 1100, "\(node.session.stats.largestDatagram)") }
    }
}
