import MeshplayCore
@testable import MeshTransport

/// A mesh of `count` nodes where every node joins through node 0, `stagger` apart.
func joinedMesh(
    count: Int, seed: UInt64, conditions: NetworkConditions = .ideal, stagger: TimeSpan = .milliseconds(20),
    mesh configuration: MeshConfiguration = MeshConfiguration(), networkTick: TimeSpan = .milliseconds(5)
) -> (SimulatedMesh, [SimulatedAddress]) {
    var mesh = SimulatedMesh(seed: seed, defaultConditions: conditions)
    mesh.network.tickInterval = networkTick
    mesh.step = networkTick
    let addresses = (0..<count).map { _ in mesh.addNode(credentials: testCredentials, mesh: configuration) }
    for address in addresses.dropFirst() {
        mesh.join(address, via: addresses[0])
        mesh.run(for: stagger)
    }
    return (mesh, addresses)
}

extension SimulatedMesh {
    /// Every listed node sees the same member list, of exactly these nodes.
    func agreeOnMembers(_ addresses: [SimulatedAddress]) -> Bool {
        let expected = addresses.map { peerID($0) }.sorted()
        return addresses.allSatisfy { nodes[Int($0.node)].members == expected }
    }

    /// Every listed node has a link to every other listed node.
    func isFullyLinked(_ addresses: [SimulatedAddress]) -> Bool {
        addresses.allSatisfy { address in
            let linked = network.nodes[Int(address.node)].connectedPeers
            return addresses.allSatisfy { $0 == address || linked.contains(peerID($0)) }
        }
    }

    /// Runs in `slice` steps until `condition` holds or `limit` passes; returns the time it took, or nil.
    mutating func run(atMost limit: TimeSpan, slice: TimeSpan = .milliseconds(50), until condition: (SimulatedMesh) -> Bool) -> TimeSpan? {
        let start = now
        while now - start < limit {
            if condition(self) { return now - start }
            run(for: slice)
        }
        return condition(self) ? now - start : nil
    }
}

extension Array where Element == MeshEvent {
    /// The payloads of message events on `channel`, in order.
    func payloads(channel: UInt8) -> [[UInt8]] {
        compactMap { if case .message(_, channel, let bytes, _) = $0 { return bytes } else { return nil } }
    }
}
