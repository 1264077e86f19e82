import Foundation
import MeshplayTestSupport
import Testing

@Suite struct ResolverCommandTests {
    /// `meshplay resolver` prints where it listens and exits 0 on SIGINT.
    @Test func startsPrintsWhereItListensAndStopsCleanlyOnSIGINT() async throws {
        try await OffThePool.wait {
            let directory = try TemporaryDirectory(prefix: "resolver")
            let resolver = try ChildProcess(
                MeshplayBinary.path, ["resolver", "--host", "127.0.0.1", "--port", "0"],
                standardOutput: directory.path("out"), standardError: directory.path("err"))
            defer { resolver.kill() }
            let port = MeshplayBinary.listeningPort(in: directory.path("out"), timeout: 30)
            #expect(port != nil, "no listening line: \(resolver.standardOutput) \(resolver.standardError)")
            #expect(resolver.standardOutput.hasPrefix("meshplay resolver listening on 127.0.0.1:"))
            resolver.signal(SIGINT)
            let status = resolver.wait(timeout: 30)
            #expect(status == .exited(0), "resolver ended with \(status.map { "\($0)" } ?? "nothing within 30 s"): \(resolver.standardError)")
            #expect(resolver.standardOutput.contains("stopped (SIGINT)"))
        }
    }
}
