import Netplay

/// The lobby's one-line question before joining a network room: the room's name (for a
/// bare `--peer`/`--resolver` address) or its password. Typed with a ``LineEditor``;
/// a password is drawn as stars.
public struct LobbyPrompt: Hashable, Sendable {
    /// What is being asked.
    public enum Question: Hashable, Sendable {
        /// Which room at this address (nothing was announced about it).
        case roomName
        /// The room's password; `optional` when the room did not say it is locked.
        case password(optional: Bool)
    }

    /// What is being asked.
    public var question: Question
    /// The room being joined (its name is empty while it is being asked for).
    public var choice: NetworkJoinChoice
    /// The text typed so far.
    public var editor = LineEditor(limit: 64)

    public init(question: Question, choice: NetworkJoinChoice) {
        self.question = question
        self.choice = choice
    }

    var title: String {
        switch question {
        case .roomName: "Room at \(choice.address)"
        case .password: "Password for \(choice.room)"
        }
    }

    var label: String {
        switch question {
        case .roomName: "Room name:"
        case .password(let optional): optional ? "Password (Enter for none):" : "Password:"
        }
    }

    /// Draws the question as a box in the middle of the screen.
    public func draw(into buffer: inout CellBuffer) {
        let width = min(56, buffer.width - 4)
        let rect = Rect(x: (buffer.width - width) / 2, y: (buffer.height - 7) / 2, width: width, height: 7)
        buffer.fill(rect)
        buffer.box(rect, title: title)
        let next = buffer.write(label, x: rect.x + 2, y: rect.y + 2, style: TextStyle(.muted))
        let shown = question == .roomName ? editor.text : String(repeating: "*", count: editor.text.count)
        let end = buffer.write(shown, x: next + 1, y: rect.y + 2, style: TextStyle(.text, bold: true), maxColumns: rect.maxX - next - 4)
        buffer.write("_", x: min(end, rect.maxX - 2), y: rect.y + 2, style: TextStyle(.selection, bold: true))
        buffer.write("Enter join, Esc cancel", x: rect.x + 2, y: rect.maxY - 2, style: TextStyle(.muted), maxColumns: rect.width - 4)
    }
}

/// A network room the player chose to join: what `meshplay play --peer ADDRESS --room ROOM` would join.
public struct NetworkJoinChoice: Hashable, Sendable {
    /// The room's name.
    public var room: String
    /// Where it is joined through, for the room screen: the host's `HOST:PORT`, or the places searched.
    public var address: String
    /// The password typed (or given with `--password`); nil for none.
    public var password: String?
    /// Where the player's node finds the mesh: through ``address`` unless said otherwise.
    public var mesh: PlayerNodeRequest.Mesh

    public init(room: String, address: String, password: String?, mesh: PlayerNodeRequest.Mesh? = nil) {
        self.room = room
        self.address = address
        self.password = password
        self.mesh = mesh ?? .peers([address])
    }
}
