import Foundation
import MeshplayTestSupport
import Synchronization
import Testing

/// The long tests' way off the cooperative pool (see ``OffThePool``): blocked pieces do not
/// take the pool's threads, CPU-bound pieces never overlap, issues inside belong to the test.
@Suite struct OffThePoolTests {
    @Test func blockedPiecesEachHaveAThreadOfTheirOwn() async {
        // Four pieces that each block until all four are blocked at once: on the pool's two
        // threads the third could never start and every one would give up.
        let arrivals = Arrivals()
        let met = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask { await OffThePool.wait { arrivals.arriveAndWait(for: 4, timeout: 120) } }
            }
            return await group.reduce(true) { $0 && $1 }
        }
        #expect(met, "four blocked pieces were never all running at once")
    }

    @Test func computationsRunOneAtATime() async {
        let tally = Tally()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    await OffThePool.compute {
                        tally.enter()
                        Thread.sleep(forTimeInterval: 0.05)
                        tally.leave()
                    }
                }
            }
        }
        #expect(tally.mostAtOnce == 1)
    }

    @Test func anIssueInsideIsTheTestsAndAResultComesBack() async throws {
        let value = try await OffThePool.compute { () throws -> Int in
            let parsed = try #require(Int("42"))
            return parsed + 1
        }
        #expect(value == 43)
    }
}

/// A barrier with a timeout: each caller waits until `count` have arrived.
private final class Arrivals: Sendable {
    private let arrived = Mutex(0)

    func arriveAndWait(for count: Int, timeout seconds: Double) -> Bool {
        arrived.withLock { $0 += 1 }
        let deadline = Date().addingTimeInterval(seconds)
        while arrived.withLock({ $0 }) < count {
            guard Date() < deadline else { return false }
            usleep(1_000)
        }
        return true
    }
}

/// How many pieces of work run at once, and the most that ever did.
private final class Tally: Sendable {
    private let counts = Mutex((running: 0, most: 0))
    var mostAtOnce: Int { counts.withLock { $0.most } }
    func enter() { counts.withLock { $0.running += 1; $0.most = max($0.most, $0.running) } }
    func leave() { counts.withLock { $0.running -= 1 } }
}
