/// A key as a game binds it: renderer-neutral, so a terminal, a window or a test can report it.
public enum ControlKey: Hashable, Sendable, CustomStringConvertible {
    case up, down, left, right
    /// The space bar.
    case space
    /// A printable character. Bindings match letters in either case.
    case character(Character)

    public var description: String {
        switch self {
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .space: "space"
        case .character(let character): String(character)
        }
    }

    /// Arrow keys play even while the chat line has the keyboard; letters are text there.
    public var isArrow: Bool {
        switch self {
        case .up, .down, .left, .right: true
        case .space, .character: false
        }
    }
}

/// Keys that play one input.
public struct KeyBinding: Hashable, Sendable {
    /// The keys (any of them plays ``input``).
    public var keys: [ControlKey]
    /// What a press plays.
    public var input: PlayerInput

    /// A binding of `keys` to `input`.
    public init(_ keys: [ControlKey], _ input: PlayerInput) {
        self.keys = keys
        self.input = input
    }

    func matches(_ key: ControlKey) -> Bool {
        keys.contains { bound in
            switch (bound, key) {
            case (.character(let a), .character(let b)): a.lowercased() == b.lowercased()
            default: bound == key
            }
        }
    }
}

/// One line of a game's key help: the keys, then what they do.
public struct ControlHelpLine: Hashable, Sendable {
    /// "arrows, WASD, hjkl".
    public var keys: String
    /// "steer".
    public var action: String

    /// A help line.
    public init(keys: String, action: String) {
        self.keys = keys
        self.action = action
    }
}

/// What one glyph of a game's board means, for a legend beside or over the board.
public struct LegendEntry: Hashable, Sendable {
    /// The glyph as drawn ("●"), or several ("1-9").
    public var glyph: String
    /// The glyph on an ASCII-only terminal ("o").
    public var asciiGlyph: String
    /// What it is ("bomb").
    public var meaning: String

    /// An entry.
    public init(_ glyph: String, ascii: String, _ meaning: String) {
        self.glyph = glyph
        self.asciiGlyph = ascii
        self.meaning = meaning
    }
}

/// How a person plays a game from a keyboard: which keys play which inputs, how presses
/// turn into one input per tick, and the help lines that explain it. The game supplies
/// it (``GameRules/controls``), so a client draws and steers any game without knowing
/// its input codes.
public struct GameControls: Sendable {
    /// Every binding; the first that matches a key wins.
    public var bindings: [KeyBinding]
    /// Whether an input stays in force on every tick until another key is pressed (a snake
    /// keeps its heading), or plays for one tick only, after which the player plays
    /// ``PlayerInput/none`` until the next press (a bomber steps once per press).
    public var holdsLastInput: Bool
    /// Lines for the help overlay, in order.
    public var helpLines: [ControlHelpLine]
    /// What the board's glyphs mean (empty when the board explains itself).
    public var legend: [LegendEntry]
    /// Joins a press into the input already waiting for the next tick when both fit into one
    /// (a move and a bomb), giving the joined input; nil queues the press for a tick of its own.
    public var combine: @Sendable (_ waiting: PlayerInput, _ pressed: PlayerInput) -> PlayerInput?

    /// Controls; see the properties.
    public init(
        bindings: [KeyBinding], holdsLastInput: Bool, helpLines: [ControlHelpLine], legend: [LegendEntry] = [],
        combine: @escaping @Sendable (_ waiting: PlayerInput, _ pressed: PlayerInput) -> PlayerInput? = { _, _ in nil }
    ) {
        self.bindings = bindings
        self.holdsLastInput = holdsLastInput
        self.helpLines = helpLines
        self.legend = legend
        self.combine = combine
    }

    /// The input `key` plays, or nil when no binding has it.
    public func input(for key: ControlKey) -> PlayerInput? {
        bindings.first { $0.matches(key) }?.input
    }

    /// The four directions on arrows, WASD and hjkl, as most grid games steer, with inputs
    /// `up`, `right`, `down`, `left`.
    public static func directionBindings(
        up: PlayerInput, right: PlayerInput, down: PlayerInput, left: PlayerInput
    ) -> [KeyBinding] {
        [
            KeyBinding([.up, .character("w"), .character("k")], up),
            KeyBinding([.right, .character("d"), .character("l")], right),
            KeyBinding([.down, .character("s"), .character("j")], down),
            KeyBinding([.left, .character("a"), .character("h")], left),
        ]
    }
}
