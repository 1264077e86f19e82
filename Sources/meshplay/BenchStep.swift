/// One measurement of a bench, announced on stderr as it runs: "bench: NAME ... RESULT".
///
/// A whole bench takes tens of seconds; a line per step says it is alive and what each
/// figure was, while stdout keeps the table (or the JSON) exactly as before.
enum BenchStep {
    /// Runs `body`, writing "bench: NAME ... " before and its result, described by `result`, after.
    static func run<Value>(_ name: String, result: (Value) -> String, _ body: () async throws -> Value) async throws -> Value {
        ProgressLine.writeStandardError("bench: \(name) ... ")
        do {
            let value = try await body()
            ProgressLine.writeStandardError(result(value) + "\n")
            return value
        } catch {
            // The line ends before the error is printed under it.
            ProgressLine.writeStandardError("failed\n")
            throw error
        }
    }
}
