import Lobby
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import NIOCore
import NIOPosix
import Netplay

/// A ``PeerNode`` over real UDP: one socket and identity of its own, the node riding on the
/// socket's event loop (a `UDPDriver`), read and commanded from other threads through a
/// ``NodeMailbox``. What `meshplay bot` runs for each bot and what a client's player runs.
public final class UDPNode: Sendable {
    /// The socket and the node on it.
    public let driver: UDPDriver<PublishingNode>
    /// The node's newest status, snapshot and events.
    public let mailbox: NodeMailbox

    /// Where the node listens.
    public var localAddress: UDPAddress { driver.localAddress }
    /// The node's peer id.
    public var peerID: PeerID { driver.peerID }

    /// The node's signing identity (its room adverts are signed with it).
    public let identity: NodeIdentity

    private init(driver: UDPDriver<PublishingNode>, mailbox: NodeMailbox, identity: NodeIdentity) {
        self.identity = identity
        self.driver = driver
        self.mailbox = mailbox
    }

    /// Binds `host:port` (0 picks a port) and starts a node on it with `identity` (by default a fresh one).
    /// - Parameters:
    ///   - bootstrap: mesh members to join through when looking for a room.
    ///   - input: makes the node's input source (on the event loop).
    ///   - pilot: makes the node's pilot, for a bot; nil for a node a person commands.
    ///   - recorders: where matches are recorded, or nil.
    ///   - seed: mixed into each match's seed for the input source.
    ///   - publishesSnapshots: whether the board and links are published after every tick
    ///     (a client draws them; a bot's runner needs only the status and events).
    /// - Throws: `UDPBindError` when the port cannot be had.
    public static func start(
        host: String, port: Int, bootstrap: [UDPAddress], catalog: GameCatalog,
        configuration: NodeConfiguration = NodeConfiguration(), link: LinkConfiguration = .playerNode,
        credentials: MeshCredentials = LobbyMesh.credentials,
        input: @escaping @Sendable () -> any InputSource, pilot: (@Sendable () -> any NodePilot)? = nil,
        recorders: (any MatchRecorderFactory)? = nil, seed: UInt64 = 0, publishesSnapshots: Bool = true,
        identity given: NodeIdentity? = nil, group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> UDPNode {
        var entropy = SystemEntropy()
        let identity = given ?? NodeIdentity(entropy: &entropy)
        let mailbox = NodeMailbox()
        let driver = try await UDPDriver<PublishingNode>.bind(
            host: host, port: port, identity: identity, credentials: credentials, configuration: link, group: group,
            core: {
                PublishingNode(
                    node: PeerNode(
                        identity: identity, bootstrap: bootstrap, catalog: catalog, input: input(), pilot: pilot?(),
                        recorders: recorders, seed: seed, configuration: configuration, entropy: SystemEntropy()),
                    mailbox: mailbox, publishesSnapshots: publishesSnapshots)
            },
            onEvents: { events in mailbox.post(events) })
        return UDPNode(driver: driver, mailbox: mailbox, identity: identity)
    }

    /// Adds mesh members to join through (see ``PeerNode/addBootstrap(_:into:)``).
    public func addBootstrap(_ addresses: [UDPAddress]) {
        driver.withCore { core, _, _, output in core.node.addBootstrap(addresses, into: &output) }
    }

    /// Queues a command for the node (carried out on its loop, in the order sent).
    public func send(_ command: NodeCommand) {
        driver.withCore { core, endpoint, now, output in core.node.perform(command, endpoint: &endpoint, at: now, into: &output) }
    }

    /// Waits until the node says it stopped, `timeout` at most; returns whether it did.
    public func waitUntilStopped(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while !mailbox.isStopped {
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }

    /// Closes the socket (the node stops where it is; send ``NodeCommand/leave`` first to say goodbye).
    public func close() async {
        await driver.close()
    }
}

/// A ``PeerNode`` that publishes what it is doing into a ``NodeMailbox`` after every tick:
/// the core a ``UDPNode``'s driver runs.
public struct PublishingNode: EndpointCore {
    public typealias Address = UDPAddress
    public typealias Event = NodeEvent

    /// The node.
    public var node: PeerNode<UDPAddress>
    let mailbox: NodeMailbox
    let publishesSnapshots: Bool

    public var nextDeadline: Timestamp? { node.nextDeadline }

    public mutating func receive(
        _ event: LinkEvent<UDPAddress>, endpoint: inout MeshEndpoint<UDPAddress>, at now: Timestamp,
        into output: inout CoreOutput<UDPAddress, NodeEvent>
    ) {
        node.receive(event, endpoint: &endpoint, at: now, into: &output)
    }

    public mutating func tick(endpoint: inout MeshEndpoint<UDPAddress>, at now: Timestamp, into output: inout CoreOutput<UDPAddress, NodeEvent>) {
        node.tick(endpoint: &endpoint, at: now, into: &output)
        mailbox.publish(linkAddresses: endpoint.linkAddresses)
        if publishesSnapshots {
            let snapshot = node.snapshot(endpoint: endpoint, at: now)
            mailbox.publish(status: snapshot.status, snapshot: snapshot)
        } else {
            mailbox.publish(status: node.status(at: now), snapshot: nil)
        }
    }
}
