import Bots
import Foundation
import MeshplayCore

/// A local room's bots coming up as real peers on loopback (a ``LoopbackBotRoom``),
/// polled from the UI thread so binding never blocks a frame.
///
/// Once ``state`` is ready, the player joins ``LoopbackBotRoom/roomName`` through
/// ``LoopbackBotRoom/hostAndPort`` like any networked room.
final class LoopbackLaunch: @unchecked Sendable {
    enum State {
        case launching
        case ready(LoopbackBotRoom)
        case failed(String)
    }

    /// The room's settings and members, kept to play the match in process if the bots cannot start.
    let settings: RoomSettings
    let members: [RoomMember]
    private let lock = NSLock()
    private var current = State.launching
    private var abandoned = false

    /// Starts launching a peer for each bot among `members` for a room playing `settings`.
    /// Throws (at once) when the game cannot be set up for these settings.
    init(settings: RoomSettings, members: [RoomMember], setup: GameSetup, skill: BotSkill, seed: UInt64) throws {
        self.settings = settings
        self.members = members
        let botNames = members.filter(\.isBot).map(\.name)
        // The game made here only tells the bots what to play: its identity and its configuration (map included).
        // The room's name differs per match because it names the replay files (a second match must not overwrite the first).
        let probe = try setup.makeGame(settings, [PlayerInfo(slot: PlayerSlot(0), name: "probe")], seed)
        let game = LoopbackBotRoom.Game(
            roomName: "local-" + String(seed & 0xFFFF_FFFF, radix: 16), identity: probe.identity, mapName: settings.mapName, configBytes: probe.configBytes,
            tickRate: settings.tickRate, matchLengthTicks: UInt32(settings.matchTicks))
        let catalog = setup.catalog
        Task {
            do {
                let room = try await LoopbackBotRoom.launch(game, botNames: botNames, skill: skill, seed: seed, catalog: catalog)
                if !self.settle(.ready(room)) { await room.close() }
            } catch {
                _ = self.settle(.failed("\(error)"))
            }
        }
    }

    /// Launching, ready, or why not.
    var state: State {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    /// Gives up on the launch: bots that come up later are closed at once. Returns the room if it was up.
    func abandon() -> LoopbackBotRoom? {
        lock.lock()
        defer { lock.unlock() }
        abandoned = true
        if case .ready(let room) = current { return room }
        return nil
    }

    /// Records the outcome; false when the launch was abandoned meanwhile (the caller closes the room).
    private func settle(_ outcome: State) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if abandoned { return false }
        current = outcome
        return true
    }
}

extension LoopbackBotRoom {
    /// Closes the bots, waiting at most `seconds` (the client is quitting: sockets close in order, but never hang).
    func close(waitingAtMost seconds: Double) {
        let done = DispatchSemaphore(value: 0)
        Task {
            await self.close()
            done.signal()
        }
        _ = done.wait(timeout: .now() + seconds)
    }
}
