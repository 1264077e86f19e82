import Lobby
import MeshplayCore

/// What a node is asked to do, by its person (through the UI) or its pilot (a bot).
public enum NodeCommand: Sendable, Equatable {
    /// Create and host a room. The host starts a match once it is ready itself, at least
    /// `minimumPlayers` members are in the room and every other member is ready.
    case createRoom(RoomSettings, password: String?, playerName: String, minimumPlayers: Int)
    /// Find the room with this name among the mesh's members (asking each which room it is
    /// in, joining the mesh through the node's bootstrap addresses first) and join it. Gives
    /// up with ``JoinFailure/roomNotFound(room:seconds:lookedAt:)`` after `timeout`.
    case joinRoom(String, password: String?, playerName: String, timeout: TimeSpan)
    /// Find the running room with this name (as ``joinRoom(_:password:playerName:timeout:)``
    /// does) and watch its match `delay` behind the players, fed by its host. Ends with
    /// ``NodeEvent/watchEnded(problem:tick:checksum:replayPath:)``.
    case watchRoom(String, delay: TimeSpan, timeout: TimeSpan)
    /// Find the running room with this name and take this node's dropped seat in its match
    /// again (the node must have the keys of the node that held the seat). Ends with
    /// ``NodeEvent/rejoined(slot:atTick:)`` and later the match's end, or ``NodeEvent/watchEnded(problem:tick:checksum:replayPath:)``.
    case rejoinRoom(String, playerName: String, timeout: TimeSpan)
    /// Be ready (or not) for the next match. Said again every second until the match
    /// starts, since a host still finishing its last match does not hear it.
    case setReady(Bool)
    /// Say something: in the room, or on the running match's lockstep stream.
    case chat(String)
    /// A key press of the person at this node, for its ``InputSource``.
    case press(PlayerInput)
    /// Leave the room and the mesh; the node stops once the goodbye had time to spread.
    /// A match under way is left (its recording closed as it stands).
    case leave
}
