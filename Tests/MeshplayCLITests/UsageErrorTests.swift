import MeshplayTestSupport
import Testing

/// Every usage error exits 64 with its reason and the usage line of the command that failed.
@Suite("meshplay usage errors")
struct UsageErrorTests {
    @Test(arguments: [
        (["sim", "--players", "0"], "--players must be 1-16, got 0", "meshplay sim"),
        (["sim", "--partition", "garbage"], "--partition wants A-B@START-END", "meshplay sim"),
        (["sim", "--crash", "9@10", "--players", "2"], "--crash names seat 9 of 2", "meshplay sim"),
        (["sim", "--map", "no-such-map"], "no map", "meshplay sim"),
        (["bot", "--create", "r", "--count", "3", "--players", "2"], "--count 3 is more than the room's 2 players", "meshplay bot"),
        (["verify"], "Missing expected argument", "meshplay verify"),
    ])
    func usageErrorsNameTheFailingCommand(arguments: [String], reason: String, command: String) throws {
        let result = try MeshplayBinary.run(arguments)
        #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
        #expect(result.standardError.contains("Error: \(reason)"), "\(arguments): \(result.standardError)")
        #expect(result.standardError.contains("Usage: \(command) "), "\(arguments): \(result.standardError)")
        #expect(!result.standardError.contains("meshplay <subcommand>"), "\(arguments): \(result.standardError)")
        #expect(result.standardOutput.isEmpty, "\(arguments): \(result.standardOutput)")
    }

    @Test(arguments: [
        (["plya"], "'plya'. Did you mean 'play'?", "meshplay <subcommand>"),
        (["verfy", "game.mpr"], "'verfy'. Did you mean 'verify'?", "meshplay <subcommand>"),
        (["bench", "transprt", "--json"], "'transprt'. Did you mean 'transport'?", "meshplay bench <subcommand>"),
    ])
    func aMisspeltSubcommandGetsADidYouMean(arguments: [String], suggestion: String, usage: String) throws {
        let result = try MeshplayBinary.run(arguments)
        #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
        #expect(result.standardError.contains("Error: unknown subcommand \(suggestion)"), "\(arguments): \(result.standardError)")
        #expect(result.standardError.contains("Usage: \(usage)"), "\(arguments): \(result.standardError)")
    }

    @Test func aWordFarFromEverySubcommandListsThem() throws {
        let result = try MeshplayBinary.run(["xyzzy"])
        #expect(result.exitCode == 64)
        #expect(result.standardError.contains("unknown subcommand 'xyzzy'; the subcommands are play, bot, replay, sim, verify, resolver, bench"),
                "\(result.standardError)")
    }
}
