import MeshplayCore
import Snake

extension GameCatalog {
    /// Every game this build of meshplay can run, verify and replay.
    static let builtin: GameCatalog = {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        return catalog
    }()
}
