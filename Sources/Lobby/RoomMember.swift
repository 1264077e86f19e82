import MeshplayCore
import MeshTransport

/// One member of a room as every member's list shows it.
public struct RoomMember: Sendable, Equatable {
    /// The member's node.
    public var peer: PeerID
    /// The host's admission counter when this member joined (the creator is 0).
    /// Slots and host succession follow it.
    public var joinOrder: UInt32
    /// The unique, sanitised name the host assigned.
    public var name: String
    /// Whether the member is ready to start.
    public var isReady: Bool
    /// The measured round trip to this member (local knowledge, never sent; nil for ourselves or before a sample).
    public var ping: TimeSpan?
    /// How the link to this member runs (local knowledge, never sent; nil for ourselves or without a link).
    public var path: LinkPath?

    /// A member.
    public init(peer: PeerID, joinOrder: UInt32, name: String, isReady: Bool, ping: TimeSpan? = nil) {
        self.peer = peer
        self.joinOrder = joinOrder
        self.name = name
        self.isReady = isReady
        self.ping = ping
    }

    /// The deterministic member order: join order, then peer id.
    static func precedes(_ lhs: RoomMember, _ rhs: RoomMember) -> Bool {
        (lhs.joinOrder, lhs.peer) < (rhs.joinOrder, rhs.peer)
    }
}

/// A member's public view for the client: the member and whether it hosts.
public struct MemberListEntry: Sendable, Equatable {
    /// The member.
    public var member: RoomMember
    /// Whether this member is the room's host.
    public var isHost: Bool

    /// An entry.
    public init(member: RoomMember, isHost: Bool) {
        self.member = member
        self.isHost = isHost
    }
}
