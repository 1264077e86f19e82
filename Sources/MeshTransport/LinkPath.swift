/// How a link's datagrams travel, as this end knows it (for people: the room and the game
/// show it beside the round trip).
public enum LinkPath: UInt8, Sendable, Equatable {
    /// Straight between the two sockets.
    case direct
    /// Straight, through a NAT hole this end's socket opened when a rendezvous node asked it
    /// to, or after an introduction that made the other end open one.
    case punched
    /// Through a rendezvous node's relay port (`meshplay resolver --relay`).
    case relayed

    /// The word shown.
    public var label: String {
        switch self {
        case .direct: "direct"
        case .punched: "punched"
        case .relayed: "relayed"
        }
    }
}
