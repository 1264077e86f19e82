import ArgumentParser

// Temporary root for the transport work; the integrator replaces it with the real `meshplay` root,
// whose `bench` group lists `BenchTransportCommand`.
struct MeshplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meshplay", subcommands: [BenchCommand.self])
}

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Measurements.", subcommands: [BenchTransportCommand.self])
}

/// Runs the root command; inside an async function the async `main()` overload is chosen.
func runMeshplay() async {
    await MeshplayCommand.main()
}

await runMeshplay()
