extension ChatText {
    /// The longest chat line the client keeps, in characters: one line of the chat pane.
    public static let displayMaxCharacters = 160
    /// The most UTF-8 bytes of a chat line the client keeps: a replay's chat record limit.
    public static let displayMaxBytes = 200

    /// `text` made safe to show (see `sanitize`) and cut to the client's chat limits.
    public static func forDisplay(_ text: String, maxCharacters: Int = displayMaxCharacters) -> String {
        sanitize(text, maxCharacters: maxCharacters, maxBytes: displayMaxBytes)
    }
}
