import Foundation
import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import Replay
import Simulation
import Testing

/// Issue 15: a crashed player's node restarts and takes its seat again; spectators watch.
@Suite("Networked matches: rejoining a seat, and spectators")
struct RejoinMatchTests {
    @Test("6 players under loss, slot 2 crashes and comes back, 2 spectators: all agree and every replay verifies")
    func crashRejoinAndSpectators() async throws {
        try await OffThePool.compute {
            let players = 6
            let ticks = 1500
            let paths = NetworkedMatchTests.replayPaths(players, tag: "rejoin")
            let directory = (paths[0]! as NSString).deletingLastPathComponent
            var options = NetworkedMatchOptions(
                ticks: ticks, seed: 15, conditions: NetworkConditions(latency: .milliseconds(50), jitter: .milliseconds(10), loss: 0.1),
                crashes: [.init(slot: 2, tick: 400)], replayPaths: paths)
            options.rejoins = [.init(slot: 2, tick: 700)]
            options.spectators = 2
            options.spectatorReplayPaths = (0..<2).map { "\(directory)/spectator-\($0).mpr" }
            // The restarted node records where its seat's node did: the file is whole again from tick 0.
            options.rejoinReplayPaths = [paths[2]]
            let (match, report) = try NetworkedMatchTests.play(players: players, options: options)

            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.desyncs == 0)
            #expect(report.droppedPlayers == [2])
            #expect(match.rejoinedSlots == [2])
            let rejoin = try #require(report.rejoins.first)
            #expect(report.rejoins.count == 1 && rejoin.slot == 2)
            #expect(rejoin.tick > 700 && rejoin.tick < ticks, "seated again at tick \(rejoin.tick)")
            #expect(report.spectators.count == 2)
            for spectator in report.spectators {
                #expect(spectator.tick == ticks)
                #expect(spectator.finalChecksum == report.finalChecksum)
                #expect(spectator.bytesPerSecond > 0)
            }
            // Each spectator was fed by a different live player.
            #expect(Set(report.spectators.compactMap(\.feeder)).count == 2)

            let drop = try #require(match.peers[0].recorder?.events.first)
            guard case .dropped(_, let dropTick) = drop else {
                Issue.record("the first event is \(drop)")
                return
            }
            let expectedEvents = [
                ReplayTimedEvent(tick: dropTick, event: .leave(slot: PlayerSlot(2))),
                ReplayTimedEvent(tick: Tick(UInt32(rejoin.tick)), event: .rejoin(slot: PlayerSlot(2))),
            ]
            for path in paths.compactMap({ $0 }) + options.spectatorReplayPaths.compactMap({ $0 }) {
                let verification = ReplayVerifier.verify(path: path, catalog: NetworkedMatchTests.catalog)
                #expect(verification.status == .ok, "\(path): \(verification)")
                #expect(verification.ticks == ticks, "\(path)")
                #expect(verification.finalChecksum == report.finalChecksum, "\(path)")
                let file = try ReplayFile(bytes: try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
                #expect(file.header.attestation != nil, "\(path) is signed")
                // Every file, the restarted node's included, records the leave and the return.
                #expect(file.events.filter { $0.event.slot == PlayerSlot(2) && !$0.isChat } == expectedEvents, "\(path): \(file.events)")
            }
        }
    }
}

extension ReplayTimedEvent {
    var isChat: Bool { if case .chat = event { true } else { false } }
}
