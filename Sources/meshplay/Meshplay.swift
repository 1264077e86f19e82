import ArgumentParser
import Foundation

/// The `meshplay` tool: one executable, one subcommand per program.
@main
struct Meshplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meshplay",
        abstract: "A peer-to-peer lockstep game engine with a terminal client.",
        version: "0.1.0",
        subcommands: [PlayCommand.self, BotCommand.self, WatchCommand.self, RoomsCommand.self, ReplayCommand.self, SimCommand.self, VerifyCommand.self, ResolverCommand.self, BenchCommand.self]
    )

    /// Runs the chosen subcommand; a usage error exits 64 (EX_USAGE) from every command,
    /// with the usage line of the command that failed.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let unknown = UnknownSubcommand.find(in: arguments, root: Meshplay.self) {
            UsageError.exit(unknown.reason, command: unknown.parent)
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exit(withError: error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ValidationError {
            // Checks that need the run (a map file, a seat count) are usage errors too.
            UsageError.exit(error.message, command: type(of: command))
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
