import Foundation
import Lobby
import MeshplayCore
import MeshTransport
import Testing

/// An in-memory transport: sends are queued with their sender, the test pumps them.
final class MemoryTransport: RoomTransport, @unchecked Sendable {
    struct Envelope {
        var from: PeerID
        var to: PeerID
        var bytes: [UInt8]
    }

    let owner: PeerID
    let outbox: Outbox

    init(owner: PeerID, outbox: Outbox) {
        self.owner = owner
        self.outbox = outbox
    }

    func sendReliable(_ bytes: [UInt8], channel: UInt8, to peer: PeerID) {
        outbox.append(Envelope(from: owner, to: peer, bytes: bytes))
    }

    final class Outbox: @unchecked Sendable {
        private let lock = NSLock()
        private var queue: [Envelope] = []

        func append(_ envelope: Envelope) { lock.withLock { queue.append(envelope) } }
        func takeAll() -> [Envelope] { lock.withLock { defer { queue = [] }; return queue } }
    }
}

@Suite("The async lobby client")
struct LobbyClientTests {
    @Test func twoClientsJoinChatAndStart() async throws {
        let outbox = MemoryTransport.Outbox()
        let peers = [PeerID(high: 1, low: 0), PeerID(high: 2, low: 0)]
        let clock: @Sendable () -> Timestamp = { .milliseconds(1000) }
        let clients = peers.enumerated().map { index, peer in
            LobbyClient(
                core: RoomCore(localPeer: peer, supportedGames: [LobbyHarness.game], entropy: SeededEntropy(seed: UInt64(index))),
                transport: MemoryTransport(owner: peer, outbox: outbox), clock: clock)
        }
        func pump() async {
            while true {
                let batch = outbox.takeAll()
                if batch.isEmpty { return }
                for envelope in batch {
                    guard let target = peers.firstIndex(of: envelope.to) else { continue }
                    await clients[target].deliver(envelope.bytes, from: envelope.from)
                }
            }
        }
        var settings = LobbyHarness.settings(cap: 2)
        settings.startsWhenFull = true
        await clients[0].create(settings: settings, password: nil, name: "host")
        await clients[1].join(host: peers[0], name: "guest", password: nil)
        await pump()
        #expect(await clients[1].members.map(\.member.name) == ["host", "guest"])
        // Full: the room started by itself; the countdown is 3 s of a clock that does not move.
        #expect(await clients[1].phase == .countdown)
        await clients[0].close()
        var sawJoined = false
        for await event in clients[0].events {
            if case .room(.joined) = event { sawJoined = true }
        }
        #expect(sawJoined)
    }
}
