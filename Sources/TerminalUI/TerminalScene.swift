import MeshplayCore

/// What the terminal loop runs: something that takes keys and time and draws itself.
/// The loop owns curses; a scene never touches the terminal.
public protocol TerminalScene: AnyObject {
    /// Applies a key at `now`; returns false when the scene is done (the client quits).
    func handle(_ key: Key, now: Timestamp) -> Bool
    /// Runs whatever is due at `now`; returns true when the picture changed.
    func advance(now: Timestamp) -> Bool
    /// The latest time the loop should wake up at even without a key.
    func nextDeadline(after now: Timestamp) -> Timestamp
    /// Draws everything into `buffer` (sized to the terminal).
    func draw(into buffer: inout CellBuffer)
    /// The client is closing, by choice, signal or error: close sessions and files.
    func shutdown()
}
