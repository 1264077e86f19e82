import MeshplayCore

/// What a cell is drawn as, by meaning rather than colour: the terminal layer maps
/// each paint to a colour pair (or, on a monochrome terminal, to attributes).
public enum Paint: Hashable, Sendable {
    /// Ordinary text.
    case text
    /// Secondary text: hints, separators, empty slots.
    case muted
    /// Titles and headings.
    case title
    /// The selected row or the focused field.
    case selection
    /// Something that needs attention soon (a stall, a confirmation).
    case warning
    /// Something that went wrong.
    case danger
    /// Positive state: ready, winner.
    case good
    /// Game roles (board cells), mapped from `ColorRole`.
    case floor
    case wall
    case item
    case dead
    /// A player's colour, by slot index; heads are drawn bold.
    case player(Int, head: Bool)

    /// The paint for a game cell's role.
    public init(_ role: ColorRole) {
        switch role {
        case .floor: self = .floor
        case .wall: self = .wall
        case .item: self = .item
        case .dead: self = .dead
        case .player(let slot): self = .player(slot.index, head: false)
        case .playerHead(let slot): self = .player(slot.index, head: true)
        }
    }
}
