import MeshplayCore
/// A one-line text input (the chat line): type, backspace, submit, cancel.
public struct LineEditor: Hashable, Sendable {
    /// The text typed so far.
    public private(set) var text: String = ""
    /// The most characters it accepts.
    public let limit: Int

    public init(limit: Int = ChatText.displayMaxCharacters) {
        self.limit = limit
    }

    /// What a key did to the line.
    public enum Outcome: Hashable, Sendable {
        /// The key changed (or was absorbed by) the text.
        case editing
        /// Enter: the line is done; the text is cleared.
        case submitted(String)
        /// Esc: the line is abandoned; the text is cleared.
        case cancelled
        /// Not a key for the line editor.
        case ignored
    }

    /// Applies one key.
    public mutating func handle(_ key: Key) -> Outcome {
        switch key {
        case .character(let character):
            if text.count < limit, !character.isNewline { text.append(character) }
            return .editing
        case .backspace, .delete:
            if !text.isEmpty { text.removeLast() }
            return .editing
        case .control("u"):
            text = ""
            return .editing
        case .enter:
            let line = text
            text = ""
            return .submitted(line)
        case .escape:
            text = ""
            return .cancelled
        default:
            return .ignored
        }
    }
}
