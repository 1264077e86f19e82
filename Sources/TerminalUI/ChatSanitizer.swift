/// Makes chat text from anyone safe to show: a peer could send escape sequences that
/// move the cursor, retitle the window or rewrite the screen, or bidi controls that
/// disguise what a line says.
public enum ChatSanitizer {
    /// The longest chat line kept, in characters. It also stays within a replay's chat limit
    /// (`ReplayFormat.maxChatBytes`, in bytes), which `clean` enforces as well.
    public static let maxCharacters = 160
    /// The most UTF-8 bytes a chat line keeps.
    public static let maxBytes = 200

    /// Removes C0 and C1 controls, DEL, whole ESC/CSI/OSC/DCS sequences, and invisible
    /// direction overrides; turns tabs and line breaks into spaces, trims the ends and
    /// caps the length on a character boundary.
    public static func clean(_ text: String, maxCharacters: Int = maxCharacters) -> String {
        var kept = String.UnicodeScalarView()
        var scalars = Array(text.unicodeScalars)[...]
        while let scalar = scalars.popFirst() {
            switch scalar.value {
            case 0x1B:
                skipEscapeSequence(&scalars)
            case 0x9B:
                skipControlSequence(&scalars)
            case 0x90, 0x98, 0x9D, 0x9E, 0x9F:
                skipString(&scalars)
            case 0x09, 0x0A, 0x0D:
                kept.append(" ")
            case 0x00 ..< 0x20, 0x7F ... 0x9F:
                continue
            default:
                if isInvisibleControl(scalar) { continue }
                kept.append(scalar)
            }
        }
        return cap(String(kept).trimmingSpaces, characters: maxCharacters, bytes: maxBytes)
    }

    /// Bidi embeddings, overrides and isolates, and other zero-width format characters
    /// that change how neighbouring text appears.
    static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x200B ... 0x200F, 0x202A ... 0x202E, 0x2060 ... 0x2069, 0x061C, 0xFEFF, 0xFFF9 ... 0xFFFB:
            return true
        default:
            return false
        }
    }

    /// After ESC: CSI (`[`), string sequences (`]`, `P`, `X`, `^`, `_`) or a two-character escape.
    private static func skipEscapeSequence(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        guard let next = scalars.popFirst() else { return }
        switch next {
        case "[": skipControlSequence(&scalars)
        case "]", "P", "X", "^", "_": skipString(&scalars)
        default:
            // nF escapes (ESC, intermediates 0x20-0x2F, final byte) as in "ESC ( B".
            if (0x20 ... 0x2F).contains(next.value) {
                while let more = scalars.first, (0x20 ... 0x2F).contains(more.value) { scalars.removeFirst() }
                _ = scalars.popFirst()
            }
        }
    }

    /// CSI parameters and intermediates up to and including the final byte 0x40-0x7E.
    private static func skipControlSequence(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        while let scalar = scalars.popFirst() {
            if (0x40 ... 0x7E).contains(scalar.value) { return }
            if !(0x20 ... 0x3F).contains(scalar.value) { return }
        }
    }

    /// OSC/DCS-style strings end with BEL, ST (0x9C) or ESC \.
    private static func skipString(_ scalars: inout ArraySlice<Unicode.Scalar>) {
        while let scalar = scalars.popFirst() {
            if scalar.value == 0x07 || scalar.value == 0x9C { return }
            if scalar.value == 0x1B {
                if scalars.first == "\\" { scalars.removeFirst() }
                return
            }
        }
    }

    private static func cap(_ text: String, characters: Int, bytes: Int) -> String {
        var result = ""
        var count = 0
        var used = 0
        for character in text {
            let size = character.utf8.count
            if count == characters || used + size > bytes { break }
            result.append(character)
            count += 1
            used += size
        }
        return result
    }
}

extension String {
    var trimmingSpaces: String {
        var scalars = unicodeScalars[...]
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
