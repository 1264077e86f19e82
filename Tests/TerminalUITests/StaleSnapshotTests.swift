import Lobby
import MeshTransport
import MeshplayCore
import Netplay
import Simulation
import Testing
@testable import TerminalUI

/// Over UDP the node posts events as they happen but publishes its snapshot at its tick, so
/// a poll can bring a match's end together with a snapshot from just before it.
@Suite("A snapshot older than the match's end")
struct StaleSnapshotTests {
    /// The player's handle, handing out each poll's snapshot one poll late.
    final class StaleHandle: NodeHandle, @unchecked Sendable {
        let base: any NodeHandle
        private var previous: NodeSnapshot?
        private(set) var staleSnapshotsGiven = 0
        init(_ base: any NodeHandle) { self.base = base }
        var peerID: PeerID? { base.peerID }
        func send(_ command: NodeCommand) { base.send(command) }
        private var polls: Int64 = 0
        /// Snapshots lag one poll behind the events, as a tick-published one can; and, as over
        /// UDP, no two are alike (the measured pings move on every one).
        func poll(now: Timestamp) -> NodePoll {
            var poll = base.poll(now: now)
            polls += 1
            var fresh = poll.snapshot
            if fresh != nil, !fresh!.links.isEmpty { fresh!.links[0].roundTrip = .microseconds(polls) }
            poll.snapshot = previous ?? fresh
            if poll.events.contains(where: { if case .matchEnded = $0 { true } else { false } }), previous?.status.match != nil {
                staleSnapshotsGiven += 1
            }
            previous = fresh
            return poll
        }
        func close() { base.close() }
        func closeAndWait(timeout: Duration) { base.closeAndWait(timeout: timeout) }
    }

    final class StaleService: NetplayService, @unchecked Sendable {
        let base: SimulatedNetplay
        var player: StaleHandle?
        init(_ base: SimulatedNetplay) { self.base = base }
        func startPlayer(_ request: PlayerNodeRequest) -> any NodeHandle {
            let handle = StaleHandle(base.startPlayer(request))
            player = handle
            return handle
        }
        func startBot(name: String, skill: BotSkill, seed: UInt64, joining room: String, hostedBy host: any NodeHandle) -> any NodeHandle {
            base.startBot(name: name, skill: skill, seed: seed, joining: room, hostedBy: (host as? StaleHandle)?.base ?? host)
        }
        func findRooms(_ places: RoomPlaces) -> any RoomSearch { base.findRooms(places) }
    }

    @Test func theResultsStayOnScreenWhenTheEndComesWithAnOlderSnapshot() async throws {
        var service: StaleService?
        let client = Fixtures.client(service: { network in
            let stale = StaleService(network)
            service = stale
            return stale
        })
        client.controller.createRoom(RoomChoices(mapName: "open", bots: 1, matchSeconds: 5, tickRate: 12))
        try #require(await client.wait(for: "Members 2/8"))
        await client.press(.char("r"))
        try #require(await client.wait(forScreen: .results, seconds: 40), "\(client.screen)")
        await client.advance(milliseconds: 2000)
        #expect(service?.player?.staleSnapshotsGiven == 1, "the end came with an older snapshot")
        #expect(client.model.screen == .results, "the finished match did not come back: \(client.screen)")
    }
}
