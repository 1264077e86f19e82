import MeshplayCore
import MeshTransport

/// Why the host's start did not go ahead.
public enum StartRefusal: Sendable, Equatable, CustomStringConvertible {
    /// Only the host starts.
    case notHost
    /// Some members are not ready.
    case notReady([String])
    /// A start is already under way or a game runs.
    case alreadyStarting

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .notHost: "only the host can start the game"
        case .notReady(let names): "not ready: \(names.joined(separator: ", "))"
        case .alreadyStarting: "the game is already starting"
        }
    }
}
