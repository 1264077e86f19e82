@testable import Lobby
import MeshplayCore
import MeshTransport
import MeshplayTestSupport
import Testing

@Suite("Room chat over a lossy simulated mesh")
struct ChatOverMeshTests {
    @Test func eightMembersChatAThousandLines() async {
        await OffThePool.compute {
            var limits = RoomLimits()
            limits.chatFlood = FloodLimit(burst: 5, interval: .milliseconds(100))
            var harness = LobbyHarness(nodes: 8, seed: 101, loss: 0.2, limits: limits)
            harness.connectAll()
            harness.create(0)
            harness.joinInTurn(Array(1..<8), host: 0)
            // Called outside #expect: inside a closure the macro runs a mutating call on a copy of the harness.
            let everyoneIn = harness.run(until: .seconds(10)) { h in h.cores.allSatisfy { $0.members.count == 8 } }
            #expect(everyoneIn)

            // 1,000 lines: each member says 125, one every 150 ms, members interleaved.
            for step in 0..<125 {
                for node in 0..<8 {
                    harness.command(node) { core, now in core.chat("line \(step) from \(node) — ünïcode ✓", at: now) }
                }
                harness.run(for: .milliseconds(150))
            }
            harness.run(until: .seconds(30)) { h in (0..<8).allSatisfy { h.chatLines($0).count == 1000 } }

            for node in 0..<8 {
                let lines = harness.chatLines(node)
                #expect(lines.count == 1000, "node \(node) saw \(lines.count) lines")
                for sender in 0..<8 {
                    let fromSender = lines.filter { $0.sender == harness.peer(sender) }
                    #expect(fromSender.map(\.sequence) == Array(1...125).map(UInt64.init), "node \(node), sender \(sender)")
                    #expect(fromSender.map(\.text) == (0..<125).map { "line \($0) from \(sender) — ünïcode ✓" })
                    #expect(fromSender.allSatisfy { $0.senderName == "node\(sender)" })
                }
            }
            #expect(harness.network.counters.lost > 0)
        }
    }

    @Test func escapesAndControlsNeverReachTheScreen() {
        var harness = LobbyHarness(nodes: 2, seed: 7, loss: 0.2)
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([1], host: 0)
        harness.command(1) { core, now in core.chat("\u{1B}[2J\u{1B}]0;owned\u{7}hi 👋\u{202E}olleh\u{0}", at: now) }
        harness.run(until: .seconds(5)) { !$0.chatLines(0).isEmpty }
        #expect(harness.chatLines(0).map(\.text) == ["hi 👋olleh"])
        #expect(harness.chatLines(1).map(\.text) == ["hi 👋olleh"])
    }

    @Test func floodIsRefusedWithANotice() {
        var harness = LobbyHarness(nodes: 2, seed: 8, loss: 0)
        harness.connectAll()
        harness.create(0)
        harness.joinInTurn([1], host: 0)
        for index in 0..<8 { harness.command(1) { core, now in core.chat("spam \(index)", at: now) } }
        harness.run(for: .seconds(1))
        #expect(harness.events[1].contains(.chatRefused(.flood)))
        #expect(harness.chatLines(0).count == FloodLimit().burst)
    }

    @Test func receiversRefuseAFloodThatSkipsTheSendersLimit() throws {
        // A modified client that ignores its own limit: receivers drop the excess and say so.
        var entropy = SeededEntropy(seed: 11)
        var receiver = RoomCore(
            identity: NodeIdentity(entropy: &entropy), supportedGames: [LobbyHarness.game], entropy: SeededEntropy(seed: 1))
        let flooder = PeerID(high: 2, low: 2)
        _ = receiver.create(settings: LobbyHarness.settings(), password: nil, name: "host", at: .zero)
        receiver.members.append(RoomMember(peer: flooder, joinOrder: 1, name: "flooder", isReady: false))
        var refusals = 0
        for sequence in 1...80 {
            let actions = receiver.receive(
                RoomMessage.chat(sequence: UInt64(sequence), text: "x").bytes, from: flooder, at: .milliseconds(5))
            refusals += actions.filter { if case .send = $0 { true } else { false } }.count
        }
        #expect(refusals == 80 - FloodLimit().forReceivers.burst)
    }
}
