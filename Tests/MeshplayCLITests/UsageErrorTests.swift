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
        (["sim", "--rejoin", "2@100"], "--rejoin 2@100 needs a --crash of seat 2 before tick 100", "meshplay sim"),
        (["sim", "--crash", "2@150", "--rejoin", "2@100"], "--rejoin 2@100 needs a --crash of seat 2 before tick 100", "meshplay sim"),
        (["sim", "--crash", "1@50", "--rejoin", "1@100", "--rejoin", "1@200"], "--rejoin names a seat twice", "meshplay sim"),
        (["sim", "--rejoin", "2"], "--rejoin wants SLOT@TICK, got 2", "meshplay sim"),
        (["sim", "--spectators", "33"], "--spectators must be 0-32, got 33", "meshplay sim"),
        (["bot", "--create", "r", "--count", "3", "--players", "2"], "--count 3 is more than the room's 2 players", "meshplay bot"),
        (["verify"], "Missing expected argument", "meshplay verify"),
    ])
    func usageErrorsNameTheFailingCommand(arguments: [String], reason: String, command: String) async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(arguments)
            #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("Error: \(reason)"), "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("Usage: \(command) "), "\(arguments): \(result.standardError)")
            #expect(!result.standardError.contains("meshplay <subcommand>"), "\(arguments): \(result.standardError)")
            #expect(result.standardOutput.isEmpty, "\(arguments): \(result.standardOutput)")
        }
    }

    @Test(arguments: [
        (["plya"], "'plya'. Did you mean 'play'?", "meshplay <subcommand>"),
        (["verfy", "game.mpr"], "'verfy'. Did you mean 'verify'?", "meshplay <subcommand>"),
        (["bench", "transprt", "--json"], "'transprt'. Did you mean 'transport'?", "meshplay bench <subcommand>"),
    ])
    func aMisspeltSubcommandGetsADidYouMean(arguments: [String], suggestion: String, usage: String) async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(arguments)
            #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("Error: unknown subcommand \(suggestion)"), "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("Usage: \(usage)"), "\(arguments): \(result.standardError)")
        }
    }

    @Test func aWordFarFromEverySubcommandListsThem() async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(["xyzzy"])
            #expect(result.exitCode == 64)
            #expect(result.standardError.contains("unknown subcommand 'xyzzy'; the subcommands are play, bot, watch, rooms, replay, sim, verify, resolver, bench"),
                    "\(result.standardError)")
        }
    }

    /// "-5" after a numeric option is its value, refused with the range, not "Missing value".
    @Test(arguments: [
        (["sim", "--ticks", "-5"], "--ticks must be 1-", "got -5"),
        (["sim", "--players", "-1"], "--players must be 1-16", "got -1"),
        (["sim", "--loss", "-0.1"], "--loss must be 0-1", "got -0.1"),
        (["sim", "--seed", "-3"], "The value '-3' is invalid for '--seed <seed>'", "0-18446744073709551615"),
        (["sim", "--crash", "-1@5"], "--crash wants SLOT@TICK", "got -1@5"),
        (["bot", "--room", "r", "--count", "-2"], "--count must be 1-32", "got -2"),
        (["play", "--bots", "-1"], "--bots must be 0-", "got -1"),
        (["resolver", "--port", "-1"], "--port must be 0-65535", "got -1"),
        (["bench", "transport", "--pings", "-1"], "--pings must be 1-", "got -1"),
    ])
    func aNegativeNumberIsRefusedWithTheRange(arguments: [String], reason: String, detail: String) async throws {
        try await OffThePool.wait {
            let result = try MeshplayBinary.run(arguments)
            #expect(result.exitCode == 64, "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(reason), "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains(detail), "\(arguments): \(result.standardError)")
            #expect(!result.standardError.contains("Missing value"), "\(arguments): \(result.standardError)")
            #expect(result.standardError.contains("Usage: meshplay \(arguments[0])"), "\(arguments): \(result.standardError)")
        }
    }
}
