import Foundation
import MeshplayTestSupport
import Testing

/// Issue 15's commands over real UDP: what fails fast (a missing room, bad arguments).
@Suite("rejoining and watching across processes", .serialized)
struct RejoinAndWatchTests {
    // The end-to-end runs (a bot killed with -9 that takes its seat again, and a watcher that
    // follows a match to its end) are .ci/rejoin-smoke: run alone, since beside this suite's
    // CPU-bound tests on two cores the processes starve and the socket tests with them.

    @Test func watchingARoomThatIsNotThereExitsTwoAndSaysSo() async throws {
        try await OffThePool.wait {
            let result = try await MeshplayBinary.runAsync(["watch", "--peer", "127.0.0.1:9", "--room", "nothere", "--join-timeout", "1"])
            #expect(result.exitCode == 2, "\(result.standardError)")
            #expect(result.standardError.contains("nothere"), "\(result.standardError)")
        }
    }

    @Test(arguments: [
        ["bot", "--room", "trio", "--rejoin"],
        ["bot", "--create", "trio", "--count", "2", "--identity", "k"],
        ["watch", "--room", "x", "--delay", "61"],
    ])
    func badRejoinAndWatchArgumentsAreUsageErrors(arguments: [String]) async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(arguments)
            #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
        }
    }
}
