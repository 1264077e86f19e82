/// What a ``MeshNode`` reports to the layers above (lockstep, lobby).
public enum MeshEvent: Sendable, Equatable {
    /// A member joined the mesh (or came back after a false loss).
    case memberJoined(PeerID)
    /// A member left on purpose.
    case memberLeft(PeerID)
    /// A member was declared lost: no path to it for the failure timeout.
    case memberLost(PeerID)
    /// A linked peer that is no member here said it is a mesh node (with
    /// ``MeshIntroductions/vouchedOnly``: a stranger nobody vouched for yet).
    case nodeAnnounced(PeerID)
    /// A message from `from`, direct or relayed. Relayed ones are checked end to end and
    /// delivered once; `reliable` is what the origin asked for.
    case message(from: PeerID, channel: UInt8, bytes: [UInt8], reliable: Bool)
}

/// The actions-out parameter of a ``MeshNode``: links for the shell to open or close
/// (they need the endpoint's own output) and ``MeshEvent``s for the layers above.
public typealias MeshOutput<Address: MeshAddress> = CoreOutput<Address, MeshEvent>

/// What happened to a ``MeshNode`` send.
public enum MeshSendResult: Sendable, Equatable {
    /// Queued on the direct link.
    case direct
    /// Sent through neighbours (signed end to end).
    case relayed
    /// The link's buffer is full; nothing was queued.
    case queueFull
    /// Too long for the channel (direct: 64 KiB reliable, 1100 B unreliable; relayed: 110 B less).
    case tooLarge
    /// Not an alive member.
    case unknownMember
    /// A member, but no link and no neighbour to relay through.
    case unreachable
    /// Channels 0xF0 and above belong to the mesh layer.
    case reservedChannel
}
