/// The colour a renderer should use for a cell. Roles, not colours: the client
/// maps them to a theme (or to monochrome).
public enum ColorRole: Hashable, Sendable {
    case floor
    case wall
    case item
    case player(PlayerSlot)
    case playerHead(PlayerSlot)
    case dead
}

/// One drawn cell of a grid game.
public struct GameCell: Hashable, Sendable {
    /// The Unicode glyph to draw.
    public var glyph: Unicode.Scalar
    /// The fallback glyph for ASCII-only terminals.
    public var asciiGlyph: Unicode.Scalar
    public var role: ColorRole
    /// The ASCII glyph when the cell is the local player's own (a player role of the viewer's
    /// slot), so your piece stands out with neither colour nor Unicode; nil: `asciiGlyph`.
    /// Clients also draw the viewer's own cells in reverse video.
    public var ownAsciiGlyph: Unicode.Scalar?

    public init(glyph: Unicode.Scalar, asciiGlyph: Unicode.Scalar, role: ColorRole, ownAsciiGlyph: Unicode.Scalar? = nil) {
        self.glyph = glyph
        self.asciiGlyph = asciiGlyph
        self.role = role
        self.ownAsciiGlyph = ownAsciiGlyph
    }

    /// The slot whose piece this cell is, for a player or player-head role.
    public var owner: PlayerSlot? {
        switch role {
        case .player(let slot), .playerHead(let slot): slot
        case .floor, .wall, .item, .dead: nil
        }
    }

    public static let empty = GameCell(glyph: " ", asciiGlyph: " ", role: .floor)
}

/// One row of a scoreboard.
public struct ScoreLine: Hashable, Sendable {
    public var slot: PlayerSlot
    public var name: String
    public var score: Int
    /// A short state word such as "alive", "respawn 12", "left".
    public var status: String

    public init(slot: PlayerSlot, name: String, score: Int, status: String) {
        self.slot = slot
        self.name = name
        self.score = score
        self.status = status
    }
}

/// A renderer-neutral picture of a grid game: one client draws any such game.
public struct GameView: Hashable, Sendable {
    public var width: Int
    public var height: Int
    /// Row-major, `width * height` cells.
    public var cells: [GameCell]
    /// In display order (best first).
    public var scoreboard: [ScoreLine]
    /// A one-line summary, such as "tick 120 of 2000".
    public var status: String

    public init(width: Int, height: Int, cells: [GameCell], scoreboard: [ScoreLine], status: String) {
        precondition(cells.count == width * height, "cells do not fill the grid")
        self.width = width
        self.height = height
        self.cells = cells
        self.scoreboard = scoreboard
        self.status = status
    }

    public subscript(x: Int, y: Int) -> GameCell { cells[y * width + x] }
}

/// How a match ended.
public struct GameOutcome: Hashable, Sendable {
    public struct Placing: Hashable, Sendable {
        public var slot: PlayerSlot
        public var score: Int
        /// 1 for first; equal places for an unbroken tie.
        public var place: Int
        public init(slot: PlayerSlot, score: Int, place: Int) {
            self.slot = slot
            self.score = score
            self.place = place
        }
    }

    /// Every player, best first.
    public var placings: [Placing]
    /// The single winner, or nil for a draw.
    public var winner: PlayerSlot?
    /// Why the match ended ("time up", "last snake standing").
    public var reason: String

    public init(placings: [Placing], winner: PlayerSlot?, reason: String) {
        self.placings = placings
        self.winner = winner
        self.reason = reason
    }
}
