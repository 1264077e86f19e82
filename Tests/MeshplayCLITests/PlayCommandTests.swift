import MeshplayTestSupport
import Testing

/// `meshplay play` refuses networked options that cannot work, before curses starts.
@Suite("meshplay play arguments")
struct PlayCommandTests {
    @Test(arguments: [
        ["play", "--room", "duo", "--bots", "1"],
        ["play", "--room", "duo", "--peer", "127.0.0.1:4000", "--bots", "2"],
        ["play", "--room", "duo", "--peer", "127.0.0.1:4000", "--port", "70000"],
    ])
    func badNetworkArgumentsAreUsageErrors(arguments: [String]) async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(arguments)
            // ArgumentParser's validation failure: EX_USAGE.
            #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("--room") || result.standardError.contains("--port"), "\(result.standardError)")
        }
    }

    @Test(arguments: [
        ["play", "--peer", "127.0.0.1"],
        ["play", "--peer", "127.0.0.1:4000", "--peer", "host:0"],
        ["play", "--peer", "::1:4000"],
        ["play", "--resolver", "nowhere"],
        ["play", "--resolver", "127.0.0.1:99999"],
    ])
    func badPeerAndResolverAddressesAreUsageErrors(arguments: [String]) async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(arguments)
            #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("--peer") || result.standardError.contains("--resolver"), "\(result.standardError)")
            #expect(result.standardError.contains("HOST:PORT"), "\(result.standardError)")
        }
    }
}
