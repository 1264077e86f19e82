import MeshTransport

/// What a room list shows about a room before joining: its settings, its host,
/// how full it is and whether a game is running. A host answers a room query with
/// it; the mesh's resolvers will carry the same bytes once room discovery lands.
public struct RoomSummary: Sendable, Equatable {
    /// The room's settings.
    public var settings: RoomSettings
    /// The peer to send the join to.
    public var host: PeerID
    /// Members now.
    public var memberCount: Int
    /// Whether a game is starting or running (joins are refused meanwhile).
    public var isRunning: Bool
    /// The host's engine compatibility number.
    public var engineVersion: UInt16

    /// A summary.
    public init(settings: RoomSettings, host: PeerID, memberCount: Int, isRunning: Bool, engineVersion: UInt16) {
        self.settings = settings
        self.host = host
        self.memberCount = memberCount
        self.isRunning = isRunning
        self.engineVersion = engineVersion
    }

    /// Whether another member fits.
    public var isFull: Bool { memberCount >= settings.playerCap }

    /// The room's id: its host's (``RoomID/init(host:)``).
    public var roomID: RoomID { RoomID(host: host) }
}
