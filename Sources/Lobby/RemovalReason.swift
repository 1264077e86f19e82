import MeshplayCore
import MeshTransport

/// Why the local node left a room without asking to.
public enum RemovalReason: Sendable, Equatable, CustomStringConvertible {
    /// Our seed reveal did not match our commitment (or the host says so).
    case badReveal
    /// We did not commit or reveal in time during a start.
    case timedOut
    /// The host's link was lost and no other member remained.
    case roomGone
    /// The host's member list no longer has us.
    case removedByHost

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .badReveal: "removed: the seed reveal did not match its commitment"
        case .timedOut: "removed: no seed commitment or reveal in time"
        case .roomGone: "the room is gone"
        case .removedByHost: "removed from the room by its host"
        }
    }
}
