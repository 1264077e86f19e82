import ArgumentParser
import Foundation

/// A usage error reported the way ArgumentParser reports its own: "Error: REASON", the usage
/// line of the command that failed, a pointer to its help, and exit status 64 (EX_USAGE).
///
/// ArgumentParser formats an error thrown from `run()` with the root command's usage
/// ("meshplay <subcommand>"), which names the wrong command; `main()` reports those here.
enum UsageError {
    /// The command names from the root down to `command`, e.g. `meshplay bench transport`.
    static func commandLine(of command: ParsableCommand.Type) -> String {
        path(to: command, from: Meshplay.self)?.joined(separator: " ") ?? Meshplay.configuration.commandName ?? "meshplay"
    }

    /// The whole report: reason, usage line, where the help is.
    static func message(_ reason: String, command: ParsableCommand.Type) -> String {
        // A long usage wraps; its later lines line up after "Usage: " as ArgumentParser's do.
        let usage = Meshplay.usageString(for: command).replacingOccurrences(of: "\n", with: "\n       ")
        return "Error: \(reason)\nUsage: \(usage)\n  See '\(commandLine(of: command)) --help' for more information.\n"
    }

    /// Prints the report on standard error and exits 64.
    static func exit(_ reason: String, command: ParsableCommand.Type) -> Never {
        FileHandle.standardError.write(Data(message(reason, command: command).utf8))
        Foundation.exit(ExitCode.validationFailure.rawValue)
    }

    private static func path(to command: ParsableCommand.Type, from node: ParsableCommand.Type) -> [String]? {
        let name = node.configuration.commandName ?? ""
        if ObjectIdentifier(node) == ObjectIdentifier(command) { return [name] }
        for child in node.configuration.subcommands {
            if let rest = path(to: command, from: child) { return [name] + rest }
        }
        return nil
    }
}
