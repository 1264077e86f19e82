import Lobby
import MeshplayCore
import Netplay

/// A bot's plan as a node's pilot: create or join the room, say ready, play the plan's
/// games (saying ready again after each), chat at a human rate when the plan says so,
/// then leave. Gives up (leaves) when the room cannot be joined or removes it.
public struct BotPilot: NodePilot, Sendable {
    /// The plan followed.
    public let plan: BotPlan
    private var chat: BotChatLines?
    private var started = false
    private var leaving = false
    private var gamesPlayed = 0

    /// A pilot for `plan`.
    public init(plan: BotPlan) {
        self.plan = plan
        if plan.chats { chat = BotChatLines(seed: plan.seed) }
    }

    public mutating func decide(_ node: NodeStatus, events: [NodeEvent], at now: Timestamp) -> [NodeCommand] {
        var commands: [NodeCommand] = []
        if !started {
            started = true
            switch plan.role {
            case .create(let settings, let needed):
                commands.append(.createRoom(settings, password: plan.password, playerName: plan.name, minimumPlayers: needed))
            case .join(let room):
                commands.append(.joinRoom(room, password: plan.password, playerName: plan.name, timeout: plan.joinTimeout))
            case .rejoin(let room):
                commands.append(.rejoinRoom(room, playerName: plan.name, timeout: plan.joinTimeout))
            case .watch(let room, let delay):
                commands.append(.watchRoom(room, delay: delay, timeout: plan.joinTimeout))
            }
            commands.append(.setReady(true))
        }
        for event in events {
            switch event {
            case .joinFailed, .removed, .matchFailed, .watchEnded:
                leave(into: &commands)
            case .matchEnded:
                gamesPlayed += 1
                if gamesPlayed >= plan.games { leave(into: &commands) }
            default:
                break
            }
        }
        guard !leaving else { return commands }
        // The room clears readiness after every match: ready again for the next one.
        if node.phase == .inRoom, !node.wantsReady { commands.append(.setReady(true)) }
        if let line = chat?.line(at: now), node.phase == .inRoom || node.phase == .playing { commands.append(.chat(line)) }
        return commands
    }

    private mutating func leave(into commands: inout [NodeCommand]) {
        guard !leaving else { return }
        leaving = true
        commands.append(.leave)
    }
}

/// A game's bot brain as a node's input source: a fresh brain of the plan's skill for each
/// match, seeded from the match's seed and the bot's own.
public struct BotBrainInput: InputSource {
    /// How hard the brain tries.
    public let skill: BotSkill
    private var brain: (any RunningBot)?

    /// Brains of `skill`.
    public init(skill: BotSkill) { self.skill = skill }

    public mutating func matchStarted(_ game: any RunningGame, slot: PlayerSlot, seed: UInt64) {
        var seeds = SeededRandom(seed: seed)
        brain = game.makeBot(slot: slot, seed: seeds.next(), skill: skill)
    }

    public mutating func nextInput(in game: any RunningGame) -> PlayerInput { brain?.nextInput(in: game) ?? .none }
}
