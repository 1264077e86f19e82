import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore

/// A joiner's use of a rendezvous node: which names it asks, and asking again while it is
/// not in its room yet.
public enum RendezvousJoin {
    /// The names a joiner of `room` asks, in order: the room's own name first (a flood of the
    /// shared lobby name cannot hide it), then the lobby name. Without a room, the lobby name.
    public static func names(joining room: String?) -> [String] {
        guard let room else { return [LobbyMesh.name] }
        return [LobbyMesh.rendezvousName(ofRoom: room), LobbyMesh.name]
    }

    /// The names a host of `room` registers under: the lobby name (so the lobby lists it) and
    /// the room's own name (so a joiner by name finds it whatever floods the lobby name).
    public static func names(hosting room: String) -> [String] {
        [LobbyMesh.name, LobbyMesh.rendezvousName(ofRoom: room)]
    }

    /// Asks `client` for `room`'s names every 2 s for `duration`, handing every new address
    /// to each of `nodes` (they connect to it at once while looking for their room), until
    /// every node is in a room or stopped. Found addresses that never answered are so not the
    /// end: a host that registers late, or one hidden until a flood stops, is still reached.
    ///
    /// Each ask is an introduction at the first node's port: the rendezvous node tells the
    /// members to punch toward it, so a host behind a NAT that drops unasked datagrams lets
    /// this joiner's handshake in.
    ///
    /// A room member still not reached 1.5 s after it was heard (a symmetric NAT on either side:
    /// no punched path exists) is asked for through the node's relay, when it runs one: the
    /// first node binds the relay port the node grants and dials it; `onRelay` hears of it.
    ///
    /// `relayOnly` (testing and measuring the relay) dials nothing found, and asks for the relay
    /// to every room member at once.
    public static func keepResolving(
        room: String?, at client: RendezvousClient, for duration: TimeSpan, into nodes: [UDPNode], relayOnly: Bool = false,
        onRelay: @escaping @Sendable (_ relay: UDPAddress, _ member: UDPAddress) -> Void = { _, _ in }
    ) async {
        let first = nodes.first
        try? await client.lookup(
            names: names(joining: room), for: duration, introducingPort: relayOnly ? nil : first?.localAddress.port,
            relayAfter: room == nil ? nil : relayOnly ? .zero : .milliseconds(1500),
            onFound: { addresses in if !relayOnly { for node in nodes { node.addBootstrap(addresses) } } },
            onRelay: { relay, bind, member in
                guard let first else { return }
                // The bind first, from the game socket, so the relay knows this side before the handshake arrives.
                first.driver.sendCleartext(bind, to: relay)
                first.addBootstrap([relay])
                onRelay(relay, member)
            },
            isDone: { nodes.allSatisfy { $0.mailbox.isStopped || $0.mailbox.status?.room != nil } })
    }
}
