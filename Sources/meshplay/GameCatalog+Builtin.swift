import ArgumentParser
import Blast
import MeshplayCore
import Snake

extension GameCatalog {
    /// Every game this build of meshplay can run, verify and replay.
    static let builtin: GameCatalog = {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        catalog.register(BlastRules.self)
        return catalog
    }()
}

extension GameOffer {
    /// Every game this build offers for new matches, the default first.
    static let builtin: [GameOffer] = [SnakeRules.offer, BlastRules.offer]
}

/// `--game NAME`: one of the built-in games.
struct GameArgument: ExpressibleByArgument, Sendable {
    let offer: GameOffer

    init?(argument: String) {
        guard let offer = GameOffer.builtin.first(where: { $0.name == argument.lowercased() }) else { return nil }
        self.offer = offer
    }

    init(_ offer: GameOffer) { self.offer = offer }

    static var allValueStrings: [String] { GameOffer.builtin.map(\.name) }
    var defaultValueDescription: String { offer.name }

    /// Snake, the default game.
    static let standard = GameArgument(SnakeRules.offer)
}
