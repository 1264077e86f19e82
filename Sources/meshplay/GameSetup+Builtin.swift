import MeshplayCore
import TerminalUI

extension GameSetup {
    /// Every built-in game as the terminal client offers it: each game's maps (or a map file
    /// by path), the standard settings with the room's match length.
    static let builtin = GameSetup(games: GameOffer.builtin.map(Game.init(offer:)), catalog: .builtin)
}
