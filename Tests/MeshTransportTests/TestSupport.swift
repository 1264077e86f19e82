import MeshplayCore
@testable import MeshTransport

/// A deterministic message body for message `index` of stream `stream`: its index, then filler of varying length.
func messageBody(_ index: Int, stream: UInt8, maxFiller: Int = 180) -> [UInt8] {
    var bytes: [UInt8] = [stream, UInt8(truncatingIfNeeded: index), UInt8(truncatingIfNeeded: index >> 8), UInt8(truncatingIfNeeded: index >> 16)]
    let filler = (index * 7919) % (maxFiller + 1)
    for offset in 0..<filler { bytes.append(UInt8(truncatingIfNeeded: index &+ offset &* 31)) }
    return bytes
}

let testCredentials = MeshCredentials(meshName: "test-mesh", password: "correct horse")

extension Array where Element == LinkEvent<SimulatedAddress> {
    var linkUps: [PeerID] {
        compactMap { if case .linkUp(let peer, _) = $0 { return peer } else { return nil } }
    }

    var linkLosses: [(PeerID, LinkLossReason)] {
        compactMap { if case .linkLost(let peer, let reason) = $0 { return (peer, reason) } else { return nil } }
    }

    func messages(reliable: Bool) -> [(channel: UInt8, bytes: [UInt8])] {
        compactMap {
            if case .message(_, let channel, let bytes, let isReliable) = $0, isReliable == reliable { return (channel, bytes) }
            return nil
        }
    }
}

/// Two nodes on a simulated network, connected.
func connectedPair(seed: UInt64, conditions: NetworkConditions = .ideal, configuration: LinkConfiguration = LinkConfiguration()) -> (SimulatedNetwork, SimulatedAddress, SimulatedAddress) {
    var network = SimulatedNetwork(seed: seed, defaultConditions: conditions)
    let a = network.addNode(credentials: testCredentials, configuration: configuration)
    let b = network.addNode(credentials: testCredentials, configuration: configuration)
    network.connect(a, to: b)
    return (network, a, b)
}
