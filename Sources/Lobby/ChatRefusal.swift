import MeshplayCore
import MeshTransport

/// Why a local chat line was not sent.
public enum ChatRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// Over the flood limit; wait a moment.
    case flood
    /// Nothing was left after sanitising.
    case empty
    /// Not in a room.
    case notInRoom
    /// A receiver refused the line as a flood (the sender's limit is looser than the room's).
    case refusedBy(PeerID, sequence: UInt64)

    /// A sentence for the user.
    public var description: String {
        switch self {
        case .flood: "slow down: too many chat lines"
        case .empty: "nothing to send"
        case .notInRoom: "not in a room"
        case .refusedBy(let peer, let sequence): "line \(sequence) was refused as a flood by \(peer)"
        }
    }
}
