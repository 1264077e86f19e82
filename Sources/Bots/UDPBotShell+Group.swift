import MeshplayCore
import NIOCore

extension UDPBotShell {
    /// Launches `count` bots in this process, each on its own socket: the first binds
    /// `host:firstPort`, the others pick their own port and join through the first
    /// (and through `bootstrap`), so a creating bot's room is where the rest find it.
    ///
    /// All or nothing: when one bot cannot bind, the ones already up are closed and the error is rethrown.
    /// - Parameter plan: the plan of the bot at each index (0 is the first).
    public static func launchGroup(
        count: Int, host: String, firstPort: Int, bootstrap: [SocketAddress], catalog: GameCatalog,
        plan: (Int) -> BotPlan
    ) async throws -> [UDPBotShell] {
        var shells: [UDPBotShell] = []
        do {
            for index in 0..<count {
                let shell = try await launch(
                    host: host, port: index == 0 ? firstPort : 0, plan: plan(index),
                    bootstrap: bootstrap + (shells.first.map { [$0.localAddress] } ?? []), catalog: catalog)
                shells.append(shell)
            }
        } catch {
            for shell in shells { await shell.close() }
            throw error
        }
        return shells
    }
}
