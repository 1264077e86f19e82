import Foundation
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

    /// The name a member of `room` registers under once in it: the room's own, so every newcomer
    /// hears of every member (and can punch toward, or be relayed to, each), not only the host.
    public static func names(memberOf room: String) -> [String] {
        [LobbyMesh.rendezvousName(ofRoom: room)]
    }

    /// Keeps `node` registered under `names` (a host's: ``names(hosting:)``; a member's:
    /// ``names(memberOf:)``) at `client` until cancelled, its game socket sending what the
    /// node asks (punches toward newcomers, relay binds); `onSent` hears each. A host's
    /// registrations carry its room's signed advert, so a lobby that no path reaches it from
    /// (a symmetric NAT between) still lists the room by name.
    public static func keepRegistered(
        _ node: UDPNode, as names: [String], at client: RendezvousClient,
        onSent: @escaping @Sendable (GameSocketDatagram) -> Void = { _ in }
    ) async {
        let driver = node.driver
        await client.keepRegistered(names: names, port: Int(node.localAddress.port), onGameSocket: { datagram in
            driver.sendCleartext(datagram.bytes, to: datagram.destination)
            onSent(datagram)
        }, details: {
            node.mailbox.status?.advert?.encoded(signedBy: node.identity) ?? []
        }, local: lanAddress(of: node, toward: client.server))
    }

    /// Where peers behind the same home router reach `node`: its LAN address (the one it sends
    /// from toward `server`, or the one it is bound to) with its port, when that is a private
    /// IPv4 address; nil otherwise (a public or loopback address needs no stand-in).
    static func lanAddress(of node: UDPNode, toward server: UDPAddress) -> UDPAddress? {
        let bound = node.localAddress
        let ip = bound.isPrivateIPv4 ? bound : UDPAddress.localRoute(toward: server)
        guard let ip, ip.isPrivateIPv4 else { return nil }
        return ip.withPort(bound.port)
    }

    /// Once `node` is in a room, keeps it registered as a member (``names(memberOf:)``) at every
    /// resolver in `servers`, until the node stops or the task is cancelled: a later newcomer
    /// hears of every member, not only the host, and can punch toward or be relayed to each.
    /// `onSent` hears what the game socket sent on a resolver's word, with that resolver.
    public static func keepRegisteredAsMember(
        _ node: UDPNode, at servers: [UDPAddress],
        onSent: @escaping @Sendable (GameSocketDatagram, UDPAddress) -> Void = { _, _ in }
    ) async {
        guard !servers.isEmpty else { return }
        var room: String?
        while room == nil {
            if node.mailbox.isStopped || Task.isCancelled { return }
            room = node.mailbox.status?.room?.settings.name
            if room == nil { try? await Task.sleep(for: .milliseconds(100)) }
        }
        guard let room else { return }
        let registering = Task {
            await withTaskGroup(of: Void.self) { group in
                for server in servers {
                    group.addTask {
                        await keepRegistered(node, as: names(memberOf: room), at: RendezvousClient(server: server)) { onSent($0, server) }
                    }
                }
            }
        }
        while !node.mailbox.isStopped, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(200)) }
        registering.cancel()
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
        let dialled = SeenAddresses()
        try? await client.lookup(
            names: names(joining: room), for: duration, introducingPort: first?.localAddress.port,
            relayAfter: room == nil ? nil : relayOnly ? .zero : .milliseconds(1500),
            onFound: { addresses in if !relayOnly { for node in nodes { node.addBootstrap(addresses) } } },
            onRelay: { relay, bind, member in
                guard let first else { return }
                // The bind first, from the game socket, so the relay knows this side before the handshake arrives.
                first.driver.sendCleartext(bind, to: relay)
                // Before the room: a way in. In it: a link to a member (a bootstrap dials only while looking).
                first.addBootstrap([relay])
                first.driver.connect(to: relay)
                // The grant repeats every round while the member's own address is unreached: told once.
                if dialled.insert(relay) { onRelay(relay, member) }
            },
            reached: { first?.mailbox.linkAddresses ?? [] },
            // A room's joiner looks on after getting in, for the whole `duration`: the room's other
            // members (registered under its name too, some joining later) may still be unreached
            // and need the relay, even once a match runs.
            isDone: {
                nodes.allSatisfy { node in node.mailbox.isStopped || (room == nil && node.mailbox.status?.room != nil) }
            })
    }
}

/// Addresses already seen, from any thread: what a callback should do or say once per address
/// (a relay dialled, a punch told), however often a resolver repeats it.
public final class SeenAddresses: @unchecked Sendable {
    private let lock = NSLock()
    private var addresses: [UDPAddress] = []

    /// An empty set.
    public init() {}

    /// Adds `address`; whether it is new.
    public func insert(_ address: UDPAddress) -> Bool {
        lock.withLock {
            guard !addresses.contains(address) else { return false }
            addresses.append(address)
            return true
        }
    }
}
