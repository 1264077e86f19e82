/// A map file could not be read as a game's map: where and why. Shared by every game's map parser.
///
/// Its description is the conventional `file:line:column: reason`, for example
/// `maps/bad.map:3:7: unknown character 'x'`, so editors can jump to it.
public struct MapParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file name or path as given to the parser.
    public var file: String
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in characters.
    public var column: Int
    public var reason: String

    public init(file: String, line: Int, column: Int, reason: String) {
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String { "\(file):\(line):\(column): \(reason)" }
}
