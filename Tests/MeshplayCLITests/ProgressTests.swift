import Foundation
import MeshplayTestSupport
import Testing

/// Commands that run for long say how far they are on stderr, and only there.
@Suite("meshplay progress on stderr")
struct ProgressTests {
    /// A short bench: every measurement gets its "bench: NAME ... RESULT" line on stderr,
    /// and stdout is still exactly one JSON object.
    @Test func benchTransportAnnouncesEveryMeasurementOnStderr() throws {
        let result = try MeshplayBinary.run(["bench", "transport", "--pings", "200", "--seconds", "0.2", "--json"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        let lines = result.standardError.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(result.standardError)")
        for (line, step) in zip(lines, ["bare UDP ping-pong", "reliable 64 B ping-pong", "unreliable 64 B ping-pong", "reliable 64 B one way", "reliable 1 KiB one way"]) {
            #expect(line.hasPrefix("bench: \(step), "), "\(line)")
            #expect(line.contains(" ... ") && (line.hasSuffix(" µs") || line.hasSuffix(" MB/s")), "\(line)")
        }
        let summary = try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any]
        #expect(summary?["reliableMessagesPerSecond64"] is Int, "\(result.standardOutput)")
    }

    @Test func benchTransportKeepsItsTableOnStdout() throws {
        let result = try MeshplayBinary.run(["bench", "transport", "--pings", "200", "--seconds", "0.2"])
        #expect(result.exitCode == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("MeshTransport over loopback UDP (127.0.0.1), 200 round trips each"), "\(result.standardOutput)")
        #expect(!result.standardOutput.contains("bench:"))
        #expect(result.standardError.contains("bench: reliable 1 KiB one way, 0.2 s ... "), "\(result.standardError)")
    }

    /// sim's progress line is for a terminal only: in a pipe (tests, CI logs) stderr stays empty.
    @Test func simPrintsNoProgressWhenStderrIsNotATerminal() throws {
        let result = try MeshplayBinary.run(["sim", "--ticks", "300", "--json"])
        #expect(result.exitCode == 0)
        #expect(result.standardError.isEmpty, "\(result.standardError)")
    }
}
