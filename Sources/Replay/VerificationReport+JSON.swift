import MeshplayCore

extension VerificationReport {
    /// One JSON object on one line, with the fields `file`, `status`, `game` (`{"id", "version"}`),
    /// `players` (names in slot order), `ticks`, `finalChecksum` (16 hex digits), `firstBadTick`,
    /// `expectedChecksum`, `actualChecksum`, `mismatchDetail`, `truncated`, `endedEarly` (why a complete
    /// recording stopped before the game called it), `attested` (signed files: an array indexed by slot
    /// of each player's last attested tick, `null` for a slot with none; `null` for an unsigned file),
    /// `badAttestation` (`{"slot", "tick"}` of the first signature that does not hold) and `error` (`{"offset", "reason"}`); absent
    /// values are `null`. Text from the file has control, bidi and invisible characters replaced.
    public var json: String {
        var object = JSONText()
        object.field("file", string: file)
        object.field("status", string: status.rawValue)
        object.field("game", game.map { "{\"id\": \(JSONText.quoted($0.id)), \"version\": \($0.version)}" } ?? "null")
        object.field("players", "[" + players.map { JSONText.quoted(Self.printable($0.name)) }.joined(separator: ", ") + "]")
        object.field("ticks", int: ticks)
        object.field("finalChecksum", string: finalChecksum?.description)
        object.field("firstBadTick", int: firstBadTick.map { Int($0.rawValue) })
        object.field("expectedChecksum", string: expectedChecksum?.description)
        object.field("actualChecksum", string: actualChecksum?.description)
        object.field("mismatchDetail", string: mismatchDetail.map(Self.printable))
        object.field("truncated", isTruncated ? "true" : "false")
        object.field("endedEarly", string: endedEarly.map(Self.printable))
        object.field("attested", attested.map { "[" + $0.map { $0.map { "\($0.rawValue)" } ?? "null" }.joined(separator: ", ") + "]" } ?? "null")
        object.field("badAttestation", badAttestationSlot.map { "{\"slot\": \($0.index), \"tick\": \(badAttestationTick?.rawValue ?? 0)}" } ?? "null")
        object.field("error", error.map { "{\"offset\": \($0.offset), \"reason\": \(JSONText.quoted(Self.printable($0.reason)))}" } ?? "null")
        return object.object
    }

    /// A JSON array of reports, one object per line.
    public static func json(_ reports: [VerificationReport]) -> String {
        if reports.isEmpty { return "[]" }
        return "[\n" + reports.map { "  " + $0.json }.joined(separator: ",\n") + "\n]"
    }
}
