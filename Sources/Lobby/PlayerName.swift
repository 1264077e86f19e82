import MeshplayCore
/// The rules for player names in a room.
///
/// A name is sanitised like chat (``ChatText/sanitize(_:maxCharacters:maxBytes:)``),
/// limited to ``maxCharacters`` characters and ``maxBytes`` UTF-8 bytes, and made
/// unique within the room by the host: a clash gets the suffix " (2)", " (3)", …
/// (the first free number), with the base shortened so the whole name still fits.
/// Names compare without regard to case, so "Ann" and "ann" clash.
public enum PlayerName {
    /// The most characters (grapheme clusters) in a name.
    public static let maxCharacters = 16
    /// The most UTF-8 bytes in a name.
    public static let maxBytes = 32
    /// What an empty (or entirely stripped) name becomes.
    public static let fallback = "player"

    /// `raw` sanitised and cut to the limits; never empty.
    public static func clean(_ raw: String) -> String {
        let cleaned = ChatText.sanitize(raw, maxCharacters: maxCharacters, maxBytes: maxBytes)
        return cleaned.isEmpty ? fallback : cleaned
    }

    /// `raw` cleaned, then suffixed until it clashes with none of `taken`.
    /// Deterministic: the same inputs give the same name on every peer.
    public static func unique(_ raw: String, among taken: [String]) -> String {
        let base = clean(raw)
        let folded = taken.map(fold)
        if !folded.contains(fold(base)) { return base }
        var number = 2
        while true {
            let suffix = " (\(number))"
            let room = ChatText.cut(
                base, maxCharacters: maxCharacters - suffix.count, maxBytes: maxBytes - suffix.utf8.count)
            let candidate = ChatText.trimmed(room) + suffix
            if !folded.contains(fold(candidate)) { return candidate }
            number += 1
        }
    }

    /// The form names are compared in.
    static func fold(_ name: String) -> String { name.lowercased() }
}
