import Lobby
import MeshTransport
import MeshplayCore
import Netplay

/// The room on show as the client holds it: the player's node, and in a local room the bot
/// nodes the player added. The controller polls it every frame.
final class RoomSession {
    /// A bot node of a local room.
    struct Bot {
        var name: String
        var handle: any NodeHandle
    }

    /// The service the nodes run on.
    let service: any NetplayService
    /// The player's node.
    let player: any NodeHandle
    /// The room's name.
    let roomName: String
    /// Whether the player hosts it here with bots.
    let isLocal: Bool
    /// The settings a local room was created with (to start it again elsewhere if it cannot start).
    let localSettings: RoomSettings?
    /// The local room's bots, oldest first.
    private(set) var bots: [Bot] = []
    /// The ready state last sent to the node.
    var readySent = false
    /// Whether the match of the node's current status is on show already.
    var showingMatch = false
    /// Matches whose end the node reported: a snapshot taken before the last one ended is stale.
    var matchesEnded = 0
    /// The last snapshot read, to tell whether anything changed.
    var lastSnapshot: NodeSnapshot?
    /// Whether the room failed (and said so) already.
    var failed = false
    private var botCounter = 0

    /// What a network room was joined with (to join again after a failure).
    let joinChoice: NetworkJoinChoice?

    init(service: any NetplayService, player: any NodeHandle, roomName: String, isLocal: Bool, localSettings: RoomSettings?,
         joinChoice: NetworkJoinChoice? = nil) {
        self.service = service
        self.player = player
        self.roomName = roomName
        self.isLocal = isLocal
        self.localSettings = localSettings
        self.joinChoice = joinChoice
    }

    /// Starts one more bot that joins the player's room (a local room).
    func addBot(skill: BotSkill, seed: UInt64) {
        botCounter += 1
        let name = "bot\(botCounter)"
        bots.append(Bot(name: name, handle: service.startBot(name: name, skill: skill, seed: seed, joining: roomName, hostedBy: player)))
    }

    /// Closes the newest bot (it leaves the room).
    func removeBot() {
        guard let bot = bots.popLast() else { return }
        bot.handle.close()
    }

    /// The bots' peer ids, for marking them in the member list.
    var botPeers: [PeerID] { bots.compactMap(\.handle.peerID) }

    /// What polling the bots found.
    struct BotNews {
        /// Why a bot's node could not start, for the first that could not.
        var failure: String?
        /// Bots that gave up (could not join, were removed, stopped): closed and dropped, with why.
        var gaveUp: [String] = []
    }

    /// Polls every bot (a simulated network runs to `now`; over UDP their events are drained),
    /// and drops the bots that gave up, so the room does not wait for them.
    func pollBots(now: Timestamp) -> BotNews {
        var news = BotNews()
        bots.removeAll { bot in
            let poll = bot.handle.poll(now: now)
            if news.failure == nil, let reason = poll.failure { news.failure = "\(bot.name): \(reason)" }
            for event in poll.events {
                let reason: String
                switch event {
                case .joinFailed(let failure): reason = "\(failure)"
                case .removed(let removal): reason = "removed from the room: \(removal)"
                case .matchFailed(let why): reason = "its match could not start: \(why)"
                case .stopped: reason = "it stopped"
                default: continue
                }
                bot.handle.close()
                news.gaveUp.append("\(bot.name) gave up: \(reason).")
                return true
            }
            return false
        }
        return news
    }

    /// Leaves: the player's node and every bot say goodbye and close.
    func close() {
        for bot in bots { bot.handle.close() }
        player.close()
    }

    /// Leaves and waits (boundedly) until the player's node has closed its recording and said goodbye.
    func closeAndWait() {
        for bot in bots { bot.handle.close() }
        player.closeAndWait(timeout: .seconds(2))
    }
}
