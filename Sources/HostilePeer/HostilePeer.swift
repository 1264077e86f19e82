import ArgumentParser
import Foundation

/// The adversary: runs each attack of issue 18's table against the real `meshplay` binary
/// on loopback and prints what it measured, a row per attack, and whether the defence held.
///
/// Test-only: it speaks the wire protocol from the docs (MeshProtocol.md, PacketFormat.md,
/// RoomProtocol.md) with the project's own sealed endpoint underneath, so it can link like
/// anyone on the open lobby and then say what no honest node would.
@main
struct HostilePeer: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostile-peer",
        abstract: "Attack a meshplay binary on loopback and print what each attack achieved.",
        discussion: "Exit 0 when every defence held, 1 when one failed, 2 when an attack could not be run.")

    @Option(help: "The meshplay binary to attack (default: the one beside this program).")
    var meshplay: String?

    @Option(name: .customLong("only"), help: "Run only these attacks (repeatable): \(Attack.all.map(\.name).joined(separator: ", ")).")
    var only: [String] = []

    @Flag(help: "List the attacks and exit.")
    var list = false

    @Flag(help: "Keep the processes' output (in a directory named on stderr) instead of deleting it.")
    var keep = false

    mutating func run() throws {
        if list {
            for attack in Attack.all { print("\(attack.name): \(attack.summary)") }
            return
        }
        let binary = meshplay ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("meshplay").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw ValidationError("no meshplay binary at \(binary) (give --meshplay PATH)") }
        let unknown = only.filter { name in !Attack.all.contains { $0.name == name } }
        guard unknown.isEmpty else { throw ValidationError("unknown attack \(unknown.joined(separator: ", ")); --list shows them") }
        let chosen = only.isEmpty ? Attack.all : Attack.all.filter { only.contains($0.name) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-peer-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer {
            if keep {
                FileHandle.standardError.write(Data("hostile-peer: output kept in \(scratch.path)\n".utf8))
            } else {
                try? FileManager.default.removeItem(at: scratch)
            }
        }

        var rows: [Row] = []
        var void = false
        for attack in chosen {
            FileHandle.standardError.write(Data("hostile-peer: \(attack.name): \(attack.summary)\n".utf8))
            // An attack whose set-up failed (a process slow to start on a loaded machine) is tried
            // once more from scratch: that is the harness, not a defence. A defence that fails is never retried.
            var setUpFailures: [String] = []
            for attempt in 1...2 {
                let directory = scratch.appendingPathComponent(attempt == 1 ? attack.name : "\(attack.name)-\(attempt)")
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                do {
                    let found = try attack.run(Context(meshplay: binary, directory: directory))
                    for row in found { FileHandle.standardError.write(Data("hostile-peer:   \(row.holds ? "holds" : "FAILS"): \(row.measured)\n".utf8)) }
                    rows += found
                    break
                } catch {
                    setUpFailures.append("\(error)")
                    FileHandle.standardError.write(Data("hostile-peer:   could not run (attempt \(attempt) of 2): \(error)\n".utf8))
                }
            }
            if setUpFailures.count == 2 {
                void = true
                rows.append(Row(attack: attack.summary, measured: "could not run: \(setUpFailures.joined(separator: "; then: "))", holds: false))
            }
        }
        print("| attack | measured | verdict |")
        print("| --- | --- | --- |")
        for row in rows { print("| \(row.attack) | \(row.measured) | \(row.holds ? "holds" : "FAILS") |") }
        if void { throw ExitCode(2) }
        if !rows.allSatisfy(\.holds) { throw ExitCode(1) }
    }
}

/// What an attack needs: the binary and a scratch directory of its own.
struct Context: Sendable {
    let meshplay: String
    let directory: URL

    func start(_ name: String, _ arguments: [String]) throws -> Target {
        try Target(meshplay: meshplay, arguments, name: name, directory: directory)
    }
}

/// One line of the table.
struct Row {
    let attack: String
    let measured: String
    let holds: Bool
}

/// One attack: a name for `--only`, the table's wording, and the run.
struct Attack: Sendable {
    let name: String
    let summary: String
    let run: @Sendable (Context) throws -> [Row]

    static let all: [Attack] = [
        .fabricatedRecords,
        .spoof, .flood, .names,
        .fragments,
        .handshakes,
        .hellos,
        .silentSeats,
        .impostor,
    ]
}
