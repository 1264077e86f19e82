import ArgumentParser
import Bots
import Foundation
import MeshTransport
import MeshplayCore
import NIOCore

/// Launches the bots of one `meshplay bot` process, each on its own UDP socket, and waits for them.
///
/// The first bot binds the given port and is the others' way in (a creating process's
/// other bots join its room through it); every bot also gets the addresses the
/// `--peer` / `--resolver` / `--lan` options resolve to.
struct BotRun {
    static let meshName = UDPBotShell.lobbyMeshName

    var count: Int
    var bindHost: String
    var firstPort: Int
    var find: MeshFindOptions
    var plan: (Int) -> BotPlan

    /// Plays until every bot is done or has given up; `announceAs` (a created room's name)
    /// makes the first bot register with the rendezvous node or announce on the LAN.
    func play(announceAs room: String?) async throws -> [BotReport] {
        let resolved = try await resolveBootstrap(joining: room == nil)
        let shells: [UDPBotShell]
        var announcer: LANAnnouncer?
        var registration: Task<Void, Never>?
        defer { registration?.cancel() }
        do {
            shells = try await UDPBotShell.launchGroup(
                count: count, host: bindHost, firstPort: firstPort, bootstrap: resolved, catalog: .builtin, plan: plan)
        } catch {
            FileHandle.standardError.write(Data("meshplay bot: could not bind \(bindHost):\(firstPort): \(error)\n".utf8))
            throw ExitCode(2)
        }
        if let first = shells.first {
            let address = HostPort.display(first.localAddress)
            FileHandle.standardError.write(Data("meshplay bot: \(plan(0).name) listening on \(address)\n".utf8))
        }
        var advertising: Task<Void, Never>?
        if room != nil, let host = shells.first, let port = host.localAddress.port {
            if let resolver = find.resolver, let server = try? HostPort(parsing: resolver).socketAddress() {
                registration = Task { await RendezvousClient(server: server).keepRegistered(meshName: Self.meshName, port: port) }
            }
            // Always on the LAN (not only with --lan), so `meshplay play` lists the room with no options.
            let advert = RoomAdvertBox()
            advertising = Task { await advert.follow(host) }
            announcer = try? await LANAnnouncer.start(bindHost: bindHost) {
                LANAnnouncement(meshName: Self.meshName, locked: false, port: UInt16(port), details: advert.bytes)
            }
        }
        var reports: [BotReport] = []
        for shell in shells { reports.append(try await shell.finished.get()) }
        advertising?.cancel()
        await announcer?.stop()
        for shell in shells { await shell.close() }
        return reports
    }

    /// The members to join through: for a joining process, asked again until something answers.
    private func resolveBootstrap(joining: Bool) async throws -> [SocketAddress] {
        guard !find.peers.isEmpty || find.resolver != nil || find.lan else { return [] }
        let resolver = try find.makeResolver()
        let deadline = ContinuousClock.now + (joining ? .nanoseconds(plan(0).joinTimeout.nanoseconds) : .zero)
        repeat {
            let found = (try? await resolver.resolve(meshName: Self.meshName)) ?? []
            if !found.isEmpty || !joining { return found }
            try await Task.sleep(for: .seconds(1))
        } while ContinuousClock.now < deadline
        let ways = [find.peers.isEmpty ? nil : "--peer", find.resolver == nil ? nil : "--resolver", find.lan ? "the LAN" : nil]
        let room = if case .join(let name) = plan(0).role { "room \(name)" } else { "the room" }
        FileHandle.standardError.write(Data("meshplay bot: \(room) not found: no mesh member answered through \(ways.compactMap { $0 }.joined(separator: ", ")) within \(plan(0).joinTimeout.nanoseconds / 1_000_000_000) s\n".utf8))
        throw ExitCode(2)
    }
}
