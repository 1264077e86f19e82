import Foundation
import Lockstep
import MeshTransport
import MeshplayCore
import MeshplayTestSupport
import Replay
import Simulation
import Testing

/// A split network must not become two games: the side holding a majority of the seats plays
/// on, every other side stops at a tick all its members name, and every replay closes.
@Suite("Partitions over the simulated network")
struct PartitionTests {
    static func split(_ groupA: [Int], _ groupB: [Int], players: Int, tag: String) throws -> (NetworkedMatch, NetworkedMatchReport, [String]) {
        let paths = NetworkedMatchTests.replayPaths(players, tag: tag)
        let options = NetworkedMatchOptions(
            ticks: 400, seed: 3, conditions: NetworkConditions(latency: .milliseconds(20)),
            partitions: [.init(groupA: groupA, groupB: groupB, startTick: 100, endTick: 300)],
            linkTimeout: .seconds(2), replayPaths: paths)
        let (match, report) = try NetworkedMatchTests.play(players: players, options: options)
        return (match, report, paths.compactMap { $0 })
    }

    /// The tick at which `slot`'s own game stopped on the minority side, and the slots it reached.
    static func minorityEnd(_ match: NetworkedMatch, slot: Int) -> (tick: Tick, reachable: [Int])? {
        for case .lostMajority(let tick, let reachable) in match.peers[slot].notableEvents {
            return (tick, reachable.map(\.index))
        }
        return nil
    }

    @Test("3-1: the three play to the end in one game; the one stops, marked as left, and its replay verifies as ended early")
    func threeAgainstOne() async throws {
        try await OffThePool.compute {
            let (match, report, paths) = try Self.split([0, 1, 2], [3], players: 4, tag: "split31")
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.survivors == [0, 1, 2])
            #expect(report.ticks == 400)
            #expect(report.droppedPlayers == [3])
            let end = try #require(Self.minorityEnd(match, slot: 3))
            #expect(end.reachable == [3])
            #expect(report.leavers.map(\.slot) == [3])
            #expect(report.leavers.first?.tick == Int(end.tick.rawValue))
            for slot in 0..<3 {
                let verification = ReplayVerifier.verify(path: paths[slot], catalog: NetworkedMatchTests.catalog)
                #expect(verification.status == .ok, "\(verification)")
                #expect(verification.finalChecksum == report.finalChecksum)
                #expect(verification.endedEarly == nil)
            }
            let cutOff = ReplayVerifier.verify(path: paths[3], catalog: NetworkedMatchTests.catalog)
            #expect(cutOff.status == .ok, "\(cutOff)")
            #expect(cutOff.ticks == Int(end.tick.rawValue))
            #expect(cutOff.endedEarly == "network lost, no other player answers")
        }
    }

    @Test("2-2: the side with the lowest seat plays on; both of the other side stop at the same tick in the same state", arguments: [
        ([0, 1], [2, 3]), ([0, 2], [1, 3]), ([1, 3], [0, 2]),
    ])
    func evenSplit(sides: ([Int], [Int])) async throws {
        try await OffThePool.compute {
            let tag = "split22-\(sides.0.map(String.init).joined())"
            let (match, report, paths) = try Self.split(sides.0, sides.1, players: 4, tag: tag)
            let winners = sides.0.contains(0) ? sides.0 : sides.1
            let losers = sides.0.contains(0) ? sides.1 : sides.0
            #expect(report.failures.isEmpty, "\(report.failures)")
            #expect(report.survivors == winners)
            #expect(report.ticks == 400)
            #expect(report.droppedPlayers.sorted() == losers)
            let ends = losers.compactMap { Self.minorityEnd(match, slot: $0) }
            #expect(ends.count == 2)
            #expect(Set(ends.map(\.tick.rawValue)).count == 1, "the cut-off side names one tick: \(ends)")
            #expect(ends.allSatisfy { $0.reachable == losers })
            #expect(match.peers[losers[0]].game.checksum() == match.peers[losers[1]].game.checksum())
            for slot in losers {
                let verification = ReplayVerifier.verify(path: paths[slot], catalog: NetworkedMatchTests.catalog)
                #expect(verification.status == .ok, "\(verification)")
                #expect(verification.endedEarly == "lost contact with the majority")
                #expect(verification.ticks == Int(ends[0].tick.rawValue))
            }
            for slot in winners {
                let verification = ReplayVerifier.verify(path: paths[slot], catalog: NetworkedMatchTests.catalog)
                #expect(verification.status == .ok && verification.endedEarly == nil, "\(verification)")
            }
        }
    }

    @Test("a crash of the lowest seat in a two-player match: the other stops too, rather than play alone a game nobody agreed on")
    func twoPlayerCrash() throws {
        let options = NetworkedMatchOptions(
            ticks: 300, seed: 2, conditions: NetworkConditions(latency: .milliseconds(20)),
            crashes: [.init(slot: 0, tick: 100)], linkTimeout: .seconds(2))
        let (match, report) = try NetworkedMatchTests.play(players: 2, options: options)
        #expect(report.survivors.isEmpty)
        #expect(report.failures == [], "\(report.failures)")
        #expect(Self.minorityEnd(match, slot: 1)?.reachable == [1])
        #expect(report.leavers.map(\.reason) == ["crashed at tick 100", "lost contact with the majority (side 1)"])
    }
}
