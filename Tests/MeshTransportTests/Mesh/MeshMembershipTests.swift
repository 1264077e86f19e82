import MeshplayCore
import MeshplayTestSupport
import Testing
@testable import MeshTransport

@Suite struct MeshMembershipTests {
    @Test(arguments: [0.0, 0.2])
    func sixteenNodesJoiningThroughOneMemberFormAFullMesh(loss: Double) async {
        await OffThePool.compute {
            var (mesh, nodes) = joinedMesh(count: 16, seed: 41, conditions: NetworkConditions(loss: loss))
            let took = mesh.run(atMost: .seconds(30)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) }
            print("16 nodes, loss \(loss): full mesh and agreement \(took.map { "\($0)" } ?? "never") after the last join")
            #expect(took != nil)
            // Every node reported every other as joined, exactly once.
            for node in nodes {
                let joined = mesh.takeEvents(node).compactMap { if case .memberJoined(let peer) = $0 { return peer } else { return nil } }
                #expect(joined.sorted() == nodes.filter { $0 != node }.map { mesh.peerID($0) }.sorted())
            }
        }
    }

    @Test func aCrashedNodeIsRemovedByEveryoneWithinTheTimeout() {
        var (mesh, nodes) = joinedMesh(count: 6, seed: 5)
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
        for node in nodes { _ = mesh.takeEvents(node) }
        let victim = nodes[3]
        let survivors = nodes.filter { $0 != victim }
        mesh.crash(victim)
        // Link timeout (5 s) + failure timeout (3 s) + one probe interval of slack.
        let limit = LinkConfiguration().linkTimeout + MeshConfiguration().failureTimeout + MeshConfiguration().probeInterval
        let took = mesh.run(atMost: limit) { $0.agreeOnMembers(survivors) }
        print("crash: removed by all \(survivors.count) survivors after \(took.map { "\($0)" } ?? "never")")
        #expect(took != nil)
        for node in survivors {
            let lost = mesh.takeEvents(node).filter { if case .memberLost = $0 { return true } else { return false } }
            #expect(lost == [.memberLost(mesh.peerID(victim))])
        }
    }

    @Test func aNodeBehindOneBrokenLinkStaysAMember() {
        var (mesh, nodes) = joinedMesh(count: 5, seed: 6)
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
        for node in nodes { _ = mesh.takeEvents(node) }
        mesh.network.partition([nodes[1]], [nodes[2]], from: mesh.now, until: mesh.now + .seconds(20))
        mesh.run(for: .seconds(15))
        #expect(mesh.agreeOnMembers(nodes))
        #expect(!mesh.network.nodes[1].connectedPeers.contains(mesh.peerID(nodes[2])))
        for node in nodes {
            let changes = mesh.takeEvents(node).filter { if case .message = $0 { return false } else { return true } }
            #expect(changes.isEmpty, "node \(node) saw \(changes)")
        }
    }

    @Test func aLeavingNodeIsRemovedEverywhereAsLeft() {
        var (mesh, nodes) = joinedMesh(count: 5, seed: 8)
        #expect(mesh.run(atMost: .seconds(10)) { $0.agreeOnMembers(nodes) && $0.isFullyLinked(nodes) } != nil)
        for node in nodes { _ = mesh.takeEvents(node) }
        mesh.withNode(nodes[2]) { node, endpoint, now, output in node.leave(endpoint: &endpoint, at: now, into: &output) }
        let rest = nodes.filter { $0 != nodes[2] }
        #expect(mesh.run(atMost: .seconds(2)) { $0.agreeOnMembers(rest) } != nil)
        mesh.run(for: .seconds(10))
        for node in rest {
            #expect(mesh.takeEvents(node) == [.memberLeft(mesh.peerID(nodes[2]))])
            #expect(!mesh.network.nodes[Int(node.node)].connectedPeers.contains(mesh.peerID(nodes[2])))
        }
    }

    @Test func sameSeedSameRun() {
        func fingerprint() -> [String] {
            var (mesh, nodes) = joinedMesh(count: 8, seed: 77, conditions: NetworkConditions(loss: 0.1))
            mesh.run(for: .seconds(3))
            return nodes.map { "\(mesh.nodes[Int($0.node)].members) \(mesh.network.nodes[Int($0.node)].connectedPeers) \(mesh.nodes[Int($0.node)].relayCounters)" }
                + ["\(mesh.network.counters)"]
        }
        #expect(fingerprint() == fingerprint())
    }
}
