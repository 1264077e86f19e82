import Foundation
import Testing

@Suite struct ResolverCommandTests {
    /// `meshplay resolver` prints where it listens and exits 0 on SIGINT.
    @Test func startsPrintsWhereItListensAndStopsCleanlyOnSIGINT() throws {
        let process = Process()
        process.executableURL = MeshplayProcess.executable
        process.arguments = ["resolver", "--host", "127.0.0.1", "--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = Pipe()
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(20)
        while !text.contains("\n"), Date() < deadline {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        #expect(text.hasPrefix("meshplay resolver listening on 127.0.0.1:"))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}
