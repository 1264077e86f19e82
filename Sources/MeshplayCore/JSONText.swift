/// A minimal JSON object writer for the flat, machine-read objects the tools print
/// (`--json`). Fields come out in the order written, so output is byte-stable across
/// runs and platforms, and no Foundation is needed.
public struct JSONText: Sendable {
    private var text = "{"
    private var isFirst = true

    public init() {}

    /// A field whose value is already JSON (a number, object, array, `true`, `null`).
    public mutating func field(_ name: String, _ rawJSON: String) {
        if !isFirst { text += ", " }
        isFirst = false
        text += Self.quoted(name) + ": " + rawJSON
    }

    /// A string field; nil becomes `null`.
    public mutating func field(_ name: String, string value: String?) { field(name, value.map(Self.quoted) ?? "null") }

    /// An integer field; nil becomes `null`.
    public mutating func field(_ name: String, int value: Int?) { field(name, value.map { String($0) } ?? "null") }

    /// A boolean field.
    public mutating func field(_ name: String, bool value: Bool) { field(name, value ? "true" : "false") }

    /// The finished object.
    public var object: String { text + "}" }

    /// A JSON array of raw JSON values.
    public static func array(_ rawValues: [String]) -> String { "[" + rawValues.joined(separator: ", ") + "]" }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    public static func quoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    let hex = String(scalar.value, radix: 16)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
