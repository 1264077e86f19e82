import MeshplayCore
import MeshTransport

/// What a room core asks its shell to do.
public enum RoomAction: Sendable, Equatable {
    /// Send these bytes to `peer` on the reliable channel ``RoomCore/channel``.
    case send(to: PeerID, bytes: [UInt8])
    /// Put this (sanitised) chat line on the running game's lockstep command stream.
    case sendGameChat(String)
    /// Report this to the user.
    case event(RoomEvent)
}
