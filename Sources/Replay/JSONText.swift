/// A minimal JSON writer for the few flat objects this module prints, so that the
/// output is the same on every platform and needs no Foundation.
struct JSONText {
    private(set) var text = "{"
    private var isFirst = true

    mutating func field(_ name: String, _ rawJSON: String) {
        if !isFirst { text += ", " }
        isFirst = false
        text += Self.quoted(name) + ": " + rawJSON
    }

    mutating func field(_ name: String, string value: String?) { field(name, value.map(Self.quoted) ?? "null") }

    mutating func field(_ name: String, int value: Int?) { field(name, value.map { String($0) } ?? "null") }

    /// The finished object.
    mutating func close() -> String {
        text += "}"
        return text
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quoted(_ value: String) -> String {
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

extension VerificationReport {
    /// One JSON object on one line, with the fields `file`, `status`, `game` (`{"id", "version"}`),
    /// `players` (names in slot order), `ticks`, `finalChecksum` (16 hex digits), `firstBadTick`,
    /// `expectedChecksum`, `actualChecksum`, `mismatchDetail`, `truncated` and `error`
    /// (`{"offset", "reason"}`); absent values are `null`.
    public var json: String {
        var object = JSONText()
        object.field("file", string: file)
        object.field("status", string: status.rawValue)
        object.field("game", game.map { "{\"id\": \(JSONText.quoted($0.id)), \"version\": \($0.version)}" } ?? "null")
        object.field("players", "[" + players.map { JSONText.quoted($0.name) }.joined(separator: ", ") + "]")
        object.field("ticks", int: ticks)
        object.field("finalChecksum", string: finalChecksum?.description)
        object.field("firstBadTick", int: firstBadTick.map { Int($0.rawValue) })
        object.field("expectedChecksum", string: expectedChecksum?.description)
        object.field("actualChecksum", string: actualChecksum?.description)
        object.field("mismatchDetail", string: mismatchDetail)
        object.field("truncated", isTruncated ? "true" : "false")
        object.field("error", error.map { "{\"offset\": \($0.offset), \"reason\": \(JSONText.quoted($0.reason))}" } ?? "null")
        return object.close()
    }

    /// A JSON array of reports, one object per line.
    public static func json(_ reports: [VerificationReport]) -> String {
        if reports.isEmpty { return "[]" }
        return "[\n" + reports.map { "  " + $0.json }.joined(separator: ",\n") + "\n]"
    }
}
