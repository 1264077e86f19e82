/// A key press, decoded from curses (or made by tests).
public enum Key: Hashable, Sendable {
    /// A printable character (letters, digits, punctuation, space, any Unicode text).
    case character(Character)
    case up, down, left, right
    case enter
    case escape
    case tab
    case backTab
    case backspace
    case delete
    case home
    case end
    case pageUp
    case pageDown
    /// Function key F1...F12.
    case function(Int)
    /// Ctrl plus a letter, as its lowercase letter (`.control("c")` for Ctrl-C).
    case control(Character)
    /// The terminal changed size (curses reports this as a key).
    case resize

    /// Shorthand for `.character`.
    public static func char(_ character: Character) -> Key { .character(character) }

    /// Keys for each character of `text`, for tests and scripted input.
    public static func typing(_ text: String) -> [Key] { text.map { .character($0) } }
}
