/// Makes untrusted text safe to show on a terminal: the one place that decides
/// what a peer's words may contain. The lobby runs every chat line and player name
/// through it before anything can display them, and the terminal client calls it
/// too for anything else a peer sent. It lives in the core so that every layer that
/// shows or records peer text applies the same rule.
public enum ChatText {
    /// The most characters (grapheme clusters) a chat line keeps.
    public static let maxCharacters = 200
    /// The most UTF-8 bytes a chat line keeps (also the wire limit).
    public static let maxBytes = 600
    /// The most Unicode scalars one character may carry (stops "Zalgo" stacks of
    /// combining marks; emoji sequences with skin tones stay well under it).
    public static let maxScalarsPerCharacter = 16

    /// `text` with every control character, terminal escape sequence and bidi
    /// override removed, tabs and line breaks turned into spaces, runs of spaces
    /// kept as they are, the ends trimmed, and the result cut to `maxCharacters`
    /// characters and `maxBytes` UTF-8 bytes at a character boundary.
    ///
    /// Removed: C0 controls (U+0000-U+001F), DEL, C1 controls (U+0080-U+009F),
    /// whole ESC sequences (CSI `ESC [`, OSC `ESC ]`, DCS/SOS/PM/APC strings, and
    /// two- or three-character escapes) and their 8-bit forms, the bidi embedding,
    /// override and isolate characters, the interlinear annotation characters, tag characters,
    /// zero-width characters (not ZWJ/ZWNJ) and blank-looking fillers (Hangul fillers, braille blank).
    public static func sanitize(_ text: String, maxCharacters: Int = ChatText.maxCharacters, maxBytes: Int = ChatText.maxBytes) -> String {
        let cleaned = stripControls(text)
        return cut(trimmed(cleaned), maxCharacters: maxCharacters, maxBytes: maxBytes)
    }

    /// Whether `scalar` is removed wherever it stands (outside escape sequences).
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        switch value {
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x061C, 0x200E, 0x200F: return true  // bidi marks
        case 0x200B, 0x2060...0x2064, 0xFEFF: return true  // zero-width characters that hide text (ZWJ and ZWNJ stay where they join: dropStrayJoiners)
        case 0x202A...0x202E: return true  // bidi embeddings and overrides
        case 0x2066...0x2069: return true  // bidi isolates
        case 0xFFF9...0xFFFB: return true  // interlinear annotations
        case 0xE0000...0xE007F: return true  // tag characters: invisible text riding on visible text
        // Blank-looking fillers and invisible marks, which make a name look empty or like another.
        case 0x00AD, 0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180E, 0x2800, 0x3164, 0xFFA0: return true
        default: return false
        }
    }

    // MARK: Steps

    /// Removes escape sequences and forbidden scalars; whitespace controls become spaces.
    static func stripControls(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            switch scalar.value {
            case 0x1B:
                skipEscape(&scalars)
            case 0x9B:
                skipControlSequence(&scalars)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:
                skipString(&scalars)
            case 0x09, 0x0A, 0x0D, 0x2028, 0x2029:
                output.append(" ")
            default:
                if !isForbidden(scalar) { output.append(scalar) }
            }
        }
        return String(dropStrayJoiners(output))
    }

    /// ZWJ and ZWNJ (U+200D, U+200C) join what stands on both sides of them: emoji sequences,
    /// letters of scripts that need them. Anywhere else (at an end, beside a space, a mark or
    /// another joiner) one is an invisible character hiding in a name, and goes.
    static func dropStrayJoiners(_ scalars: String.UnicodeScalarView) -> String.UnicodeScalarView {
        let all = Array(scalars)
        guard all.contains(where: isJoiner) else { return scalars }
        var output = String.UnicodeScalarView()
        for index in all.indices where !isStrayJoiner(at: index, in: all) { output.append(all[index]) }
        return output
    }

    /// Whether the scalar at `index` is a joiner with nothing to join on both sides.
    static func isStrayJoiner(at index: Int, in scalars: [Unicode.Scalar]) -> Bool {
        guard isJoiner(scalars[index]) else { return false }
        return !(index > 0 && index + 1 < scalars.count && isJoinable(scalars[index - 1]) && isJoinable(scalars[index + 1]))
    }

    /// `text` with every character ``sanitize(_:maxCharacters:maxBytes:)`` would remove shown
    /// as U+FFFD instead, for tools that must show that something was there (`meshplay verify`
    /// on a file it did not write): controls, bidi, invisible characters, stray joiners.
    public static func markingHidden(_ text: String) -> String {
        let all = Array(text.unicodeScalars)
        var output = String.UnicodeScalarView()
        for index in all.indices {
            output.append(isForbidden(all[index]) || isStrayJoiner(at: index, in: all) ? "\u{FFFD}" : all[index])
        }
        return String(output)
    }

    static func isJoiner(_ scalar: Unicode.Scalar) -> Bool { scalar.value == 0x200C || scalar.value == 0x200D }

    /// A visible character a joiner may stand beside: a letter of any script, or an emoji.
    static func isJoinable(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        return (properties.isAlphabetic || properties.isEmoji) && scalar.value > 0x7F && !isForbidden(scalar)
            && scalar.value != 0xFFFD
    }

    /// Skips what follows an ESC: the whole sequence it introduces.
    static func skipEscape(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        guard let next = scalars.first else { return }
        switch next {
        case "[":
            scalars.removeFirst()
            skipControlSequence(&scalars)
        case "]", "P", "X", "^", "_":
            scalars.removeFirst()
            skipString(&scalars)
        default:
            // nF escapes: intermediates 0x20-0x2F, then one final character.
            while let intermediate = scalars.first, (0x20...0x2F).contains(intermediate.value) { scalars.removeFirst() }
            if let final = scalars.first, (0x30...0x7E).contains(final.value) { scalars.removeFirst() }
        }
    }

    /// Skips a CSI body: parameter and intermediate bytes, then one final byte (0x40-0x7E).
    /// Stops early at anything that cannot be part of the sequence.
    static func skipControlSequence(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        while let scalar = scalars.first {
            let value = scalar.value
            if (0x20...0x3F).contains(value) {
                scalars.removeFirst()
            } else {
                if (0x40...0x7E).contains(value) { scalars.removeFirst() }
                return
            }
        }
    }

    /// Skips an OSC/DCS/SOS/PM/APC string up to its terminator (BEL, ST = ESC \, or 8-bit ST),
    /// or to the end of the text when it is never terminated.
    static func skipString(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        while let scalar = scalars.popFirst() {
            switch scalar.value {
            case 0x07, 0x9C:
                return
            case 0x1B:
                if scalars.first == "\\" { scalars.removeFirst() }
                return
            default:
                continue
            }
        }
    }

    /// Leading and trailing spaces removed.
    public static func trimmed(_ text: String) -> String {
        var characters = Substring(text)
        while characters.first?.isWhitespace == true { characters.removeFirst() }
        while characters.last?.isWhitespace == true { characters.removeLast() }
        return String(characters)
    }

    /// At most `maxCharacters` characters and `maxBytes` UTF-8 bytes, cut at a character
    /// boundary; each character keeps at most `maxScalarsPerCharacter` scalars.
    public static func cut(_ text: String, maxCharacters: Int, maxBytes: Int) -> String {
        var result = ""
        var count = 0
        var bytes = 0
        for character in text {
            guard count < maxCharacters else { break }
            var kept = character
            if character.unicodeScalars.count > maxScalarsPerCharacter {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: character.unicodeScalars.prefix(maxScalarsPerCharacter))
                kept = String(view).first ?? " "
            }
            let size = kept.utf8.count
            guard bytes + size <= maxBytes else { break }
            result.append(kept)
            count += 1
            bytes += size
        }
        return result
    }
}
