import ArgumentParser
import Foundation
import TerminalUI

/// `meshplay replay FILE`: watch a recorded match in the terminal.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Watch a replay file: pause, speed, step, seek, with its chat.",
        discussion: """
        Keys: space pause, + and - speed, . and , step one tick, left/right seek 5 s,
        Home/End jump, ? help, q quit. Use `meshplay verify` for a verdict on a file.
        """
    )

    @Argument(help: "The replay file.")
    var file: String

    @Flag(help: "Draw with ASCII characters only.")
    var ascii = false

    @Flag(help: "No colours (also set by the NO_COLOR environment variable).")
    var noColor = false

    @Option(help: "Append a log to this file.")
    var logFile: String?

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ReplayOpenError(message: "cannot read \(file)")
        }
        let environment = ProcessInfo.processInfo.environment
        let terminal = TerminalOptions(asciiOnly: ascii, monochrome: noColor || TerminalOptions.monochromeRequested(environment: environment))
        let name = URL(fileURLWithPath: file).lastPathComponent
        do {
            try TerminalExitStatus.finish(PlayClient.replay(bytes: [UInt8](data), name: name, catalog: .builtin, terminal: terminal, logPath: logFile))
        } catch let error as ExitCode {
            throw error
        } catch {
            throw ReplayOpenError(message: "\(file): \(error)")
        }
    }
}

/// A replay that cannot be shown: reported as an error (exit 1), not as a usage mistake.
struct ReplayOpenError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
