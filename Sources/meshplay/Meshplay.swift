import ArgumentParser

/// The `meshplay` tool: one executable, one subcommand per program.
@main
struct Meshplay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "meshplay",
        abstract: "A peer-to-peer lockstep game engine with a terminal client.",
        version: "0.1.0",
        subcommands: [PlayCommand.self, BotCommand.self, ReplayCommand.self, SimCommand.self, VerifyCommand.self, ResolverCommand.self, BenchCommand.self]
    )
}

/// `meshplay bench`: measurements.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure parts of the engine.",
        subcommands: [BenchTransportCommand.self]
    )
}
