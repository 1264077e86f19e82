import Lobby
import MeshTransport
import MeshplayCore
import NIOCore
import NIOPosix

/// A ``BotPeer`` over real UDP: one ``MeshUDPNode`` (its own socket and identity) with
/// the bot riding on the node's event loop.
///
/// The shell only moves bytes and time: link events reach the bot on the loop as they
/// happen, a repeating timer calls ``BotPeer/tick(endpoint:at:)`` every few milliseconds
/// with the monotonic clock, and the links the bot asks for are opened through the node.
/// ``finished`` completes once the bot is done or has given up.
public final class UDPBotShell: Sendable {
    /// The link shell underneath.
    public let udp: MeshUDPNode
    /// Completes with the bot's status and results when it stops; fails with
    /// ``UDPBotShellClosed`` when the shell is closed before that.
    public var finished: EventLoopFuture<BotReport> { promise.futureResult }
    private let promise: EventLoopPromise<BotReport>
    private let ticker: RepeatedTask
    private let readSummary: @Sendable () -> EventLoopFuture<RoomSummary?>
    private let abandon: @Sendable () -> EventLoopFuture<Void>

    /// The open mesh rooms live on (RoomProtocol.md): what resolvers are asked for.
    public static let lobbyMeshName = "meshplay-lobby"

    /// This bot's node address.
    public var localAddress: SocketAddress { udp.localAddress }

    private init(udp: MeshUDPNode, promise: EventLoopPromise<BotReport>, ticker: RepeatedTask,
                 readSummary: @escaping @Sendable () -> EventLoopFuture<RoomSummary?>,
                 abandon: @escaping @Sendable () -> EventLoopFuture<Void>) {
        self.udp = udp
        self.promise = promise
        self.ticker = ticker
        self.readSummary = readSummary
        self.abandon = abandon
    }

    /// The bot's room as a room list shows it (nil when not in one), read on the loop.
    /// A creating bot's process announces it on the LAN.
    public func roomSummary() async -> RoomSummary? {
        (try? await readSummary().get()) ?? nil
    }

    /// Binds a node to `host:port` (0 picks a port) and starts the bot on it.
    /// - Parameters:
    ///   - bootstrap: addresses of mesh members to join through (a joiner's way to its room).
    ///   - catalog: the games this bot can play.
    ///   - seat: a human playing through this peer instead of the bot brain.
    public static func launch(
        host: String, port: Int, plan: BotPlan, bootstrap: [SocketAddress], catalog: GameCatalog, seat: HumanSeat? = nil,
        credentials: MeshCredentials = MeshCredentials(meshName: lobbyMeshName),
        tickInterval: TimeAmount = .milliseconds(5), group: EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> UDPBotShell {
        let loop = group.next()
        var entropy = SystemEntropy()
        let identity = NodeIdentity(entropy: &entropy)
        let targets = bootstrap.map(UDPAddress.init)
        let makeBot: @Sendable () -> BotPeer<UDPAddress> = {
            BotPeer(identity: identity, plan: plan, bootstrap: targets, catalog: catalog, entropy: SystemEntropy(), seat: seat)
        }
        let bot = NIOLoopBoundBox.makeEmptyBox(valueType: BotPeer<UDPAddress>.self, eventLoop: loop)
        let linkShell = NIOLoopBoundBox.makeEmptyBox(valueType: MeshUDPNode.self, eventLoop: loop)
        let udp = try await MeshUDPNode.bind(
            host: host, port: port, identity: identity, credentials: credentials, group: loop
        ) { event, endpoint in
            // A peer may link in before the setup below runs on the loop: create the bot here then.
            let peer = bot.value ?? makeBot()
            bot.value = peer
            carryOut(peer.handle(event, endpoint: &endpoint, at: .monotonicNow), node: linkShell.value)
        }
        let promise = loop.makePromise(of: BotReport.self)
        // Set once `finished` is completed, so a bot closed while still running fails it exactly once.
        let reported = NIOLoopBoundBox.makeEmptyBox(valueType: Bool.self, eventLoop: loop)
        let ticker = try await loop.submit {
            if bot.value == nil { bot.value = makeBot() }
            linkShell.value = udp
            return loop.scheduleRepeatedTask(initialDelay: tickInterval, delay: tickInterval) { task in
                udp.withEndpoint { endpoint in
                    guard let peer = bot.value else { return }
                    carryOut(peer.tick(endpoint: &endpoint, at: .monotonicNow), node: udp)
                    if peer.status != .running, reported.value == nil {
                        task.cancel()
                        reported.value = true
                        promise.succeed(BotReport(name: peer.plan.name, status: peer.status, results: peer.results))
                    }
                }
            }
        }.get()
        return UDPBotShell(udp: udp, promise: promise, ticker: ticker,
                           readSummary: { loop.submit { bot.value?.room.summary } },
                           abandon: {
                               loop.submit {
                                   guard reported.value == nil else { return }
                                   reported.value = true
                                   promise.fail(UDPBotShellClosed())
                               }
                           })
    }

    /// Stops the bot's timer and closes the socket. A bot still running then ends
    /// ``finished`` with an error (a promise left pending would trap in debug builds).
    public func close() async {
        ticker.cancel()
        try? await abandon().get()
        try? await udp.close()
    }

    private static func carryOut(_ requests: BotPeer<UDPAddress>.LinkRequests, node: MeshUDPNode?) {
        for address in requests.connects { node?.connect(to: address.socketAddress) }
        for peer in requests.disconnects { node?.disconnect(peer) }
    }
}

/// The shell was closed before its bot was done.
public struct UDPBotShellClosed: Error, Sendable {}

/// How a bot ended: its status and one result per game it played.
public struct BotReport: Sendable {
    /// The bot's player name.
    public var name: String
    /// Done, or why it gave up.
    public var status: BotStatus
    /// One entry per game, in order.
    public var results: [BotGameResult]
}
