import ArgumentParser
import Foundation

/// The `meshplay` tool: one executable, one subcommand per program.
@main
struct Meshplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meshplay",
        abstract: "A peer-to-peer lockstep game engine with a terminal client.",
        version: "0.1.0",
        subcommands: [PlayCommand.self, BotCommand.self, ReplayCommand.self, SimCommand.self, VerifyCommand.self, ResolverCommand.self, BenchCommand.self]
    )

    /// Runs the chosen subcommand; a usage error exits 64 (EX_USAGE) from every command.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// `meshplay bench`: measurements.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of the engine.",
        subcommands: [BenchTransportCommand.self]
    )
}
