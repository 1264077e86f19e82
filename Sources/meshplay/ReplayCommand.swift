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

        Exit status: 0 after q; 2 when the file cannot be opened or is not a replay this
        build can show (the reason is on stderr, before the screen is taken over), as
        `meshplay verify` does; 1 when the terminal cannot be used.
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
        // Everything that can be wrong with the file is found here, while the terminal is
        // still the shell's: an error printed under curses would be wiped by the screen.
        let viewer: ReplayViewer
        do {
            let bytes = try ReplayFileContents.read(file)
            viewer = try ReplayViewer(bytes: bytes, name: URL(fileURLWithPath: file).lastPathComponent, catalog: .builtin)
        } catch let error as ReplayFileContents.OpenError {
            throw Self.fail(error.description)
        } catch {
            throw Self.fail("cannot show \(file): \(error)")
        }
        let environment = ProcessInfo.processInfo.environment
        let terminal = TerminalOptions(asciiOnly: ascii, monochrome: noColor || TerminalOptions.monochromeRequested(environment: environment))
        try TerminalExitStatus.finish(TerminalLoop.run(viewer, options: terminal, log: FileLog(path: logFile)))
    }

    /// Says why on stderr; the status is verify's for a file it cannot read or decode.
    private static func fail(_ reason: String) -> ExitCode {
        FileHandle.standardError.write(Data("meshplay replay: \(reason)\n".utf8))
        return ExitCode(2)
    }
}
