import Foundation
import MeshplayTestSupport
import Testing

/// Commands that run for long say how far they are on stderr, and only there.
@Suite("meshplay progress on stderr")
struct ProgressTests {
    /// A short bench: every measurement gets its "bench: NAME ... RESULT" line on stderr,
    /// and stdout is still exactly one JSON object.
    @Test func benchTransportAnnouncesEveryMeasurementOnStderr() async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(["bench", "transport", "--pings", "200", "--seconds", "0.2", "--json"])
            #expect(result.exitCode == 0, "\(result.standardError)")
            let lines = result.standardError.split(separator: "\n").map(String.init)
            // The thread driver's five measurements, then the SwiftNIO driver's headline three.
            let steps = [
                "bare UDP ping-pong, posix", "reliable 64 B ping-pong, posix", "unreliable 64 B ping-pong, posix", "reliable 64 B one way, posix",
                "reliable 1 KiB one way, posix", "bare UDP ping-pong, nio", "reliable 64 B ping-pong, nio", "reliable 64 B one way, nio",
            ]
            #expect(lines.count == steps.count, "\(result.standardError)")
            for (line, step) in zip(lines, steps) {
                #expect(line.hasPrefix("bench: \(step), "), "\(line)")
                #expect(line.contains(" ... ") && (line.hasSuffix(" µs") || line.hasSuffix(" MB/s")), "\(line)")
            }
            let summary = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            #expect(summary?["driver"] as? String == "posix", "\(result.standardOutput)")
            #expect(summary?["reliableMessagesPerSecond64"] is Int, "\(result.standardOutput)")
            let nio = summary?["nio"] as? [String: Any]
            #expect(nio?["reliableMessagesPerSecond64"] is Int && nio?["reliableRttMicros"] is [String: Any], "\(result.standardOutput)")
        }
    }

    @Test func benchTransportKeepsItsTableOnStdout() async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(["bench", "transport", "--pings", "200", "--seconds", "0.2"])
            #expect(result.exitCode == 0, "\(result.standardError)")
            #expect(result.standardOutput.hasPrefix("MeshTransport over loopback UDP (127.0.0.1), 200 round trips each"), "\(result.standardOutput)")
            #expect(!result.standardOutput.contains("bench:"))
            #expect(result.standardOutput.contains("thread driver (POSIXUDPDriver") && result.standardOutput.contains("SwiftNIO driver (UDPDriver"))
            #expect(result.standardError.contains("bench: reliable 1 KiB one way, posix, 0.2 s ... "), "\(result.standardError)")
        }
    }

    /// `--driver` and `--only` narrow the run (what profiling one measurement needs).
    @Test func benchTransportRunsOnlyWhatItIsAskedFor() async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(["bench", "transport", "--pings", "200", "--driver", "nio", "--only", "rtt", "--json"])
            #expect(result.exitCode == 0, "\(result.standardError)")
            let lines = result.standardError.split(separator: "\n").map(String.init)
            #expect(lines.count == 1 && lines[0].hasPrefix("bench: reliable 64 B ping-pong, nio, 200 round trips ... "), "\(result.standardError)")
            let summary = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
            #expect(summary?["driver"] as? String == "nio" && summary?["reliableRttMicros"] is [String: Any], "\(result.standardOutput)")
            #expect(summary?["reliableMessagesPerSecond64"] == nil && summary?["posix"] == nil, "\(result.standardOutput)")
        }
    }

    /// sim's progress line is for a terminal only: in a pipe (tests, CI logs) stderr stays empty.
    @Test func simPrintsNoProgressWhenStderrIsNotATerminal() async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(["sim", "--ticks", "300", "--json"])
            #expect(result.exitCode == 0)
            #expect(result.standardError.isEmpty, "\(result.standardError)")
        }
    }
}
