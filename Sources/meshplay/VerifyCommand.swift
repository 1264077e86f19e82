import ArgumentParser
import MeshplayCore
import Replay

/// `meshplay verify`: re-simulate replay files and check every recorded checksum.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-simulate replay files and check them tick by tick.",
        discussion: """
        Exit status: 0 when every file verifies (a match that ended early, by a quit or
        a lost network, verifies too: "ended early at tick N: why"); 1 when a file's
        re-simulation disagrees with its record (the first bad tick and both checksums
        are named); 2 when a file cannot be opened or is malformed, tampered with, or of
        an unknown game or version (the byte offset and reason are named); 3 when a file
        is incomplete: it stops between two records before its end record (a killed
        process), and every whole tick in it verified. A file that stops inside a record
        is malformed (2): a changed length byte looks just like that. The worst verdict of all files wins.

        Examples:
          meshplay verify game.mpr
          meshplay verify --json replays/*.mpr
        """
    )

    @Flag(help: "Print a JSON array with one object per file.")
    var json = false

    @Argument(help: "Replay files to verify.")
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one replay file") }
    }

    func run() throws {
        let showProgress = ProgressLine.isShown
        var reports: [VerificationReport] = []
        for file in files {
            let progress: ReplayVerifier.Progress? = showProgress ? { done, total in
                ProgressLine.show("\(file): tick \(done) of \(total)")
            } : nil
            let report = ReplayVerifier.verify(path: file, catalog: .builtin, progress: progress)
            if showProgress { ProgressLine.clear() }
            reports.append(report)
            if !json { print(report.description) }
        }
        if json { print(VerificationReport.json(reports)) }
        if reports.contains(where: { $0.status == .malformed || $0.status == .unreadable }) { throw ExitCode(2) }
        if reports.contains(where: { $0.status == .mismatch }) { throw ExitCode(1) }
        if reports.contains(where: { $0.status == .incomplete }) { throw ExitCode(3) }
    }
}
