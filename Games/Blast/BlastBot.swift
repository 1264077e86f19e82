import MeshplayCore

/// A Blast bot brain. Deterministic given its seed: its only randomness is its own
/// `SeededRandom`. For now every skill plays as the random mover: it steps to a random open
/// neighbour or stands still, and drops a bomb on one decision in ten, blind to danger.
///
/// A decision is made only when the bot's step cooldown is over; meanwhile it repeats its
/// last move, which the rules queue anyway, so its input changes only when its plan does.
public struct BlastBot: GameBot {
    public typealias Rules = BlastRules

    public let slot: PlayerSlot
    public let skill: BotSkill
    private var random: SeededRandom
    /// The move part of the last input, repeated while the cooldown runs.
    private var lastMove: PlayerInput = .none

    public init(rules: BlastRules, slot: PlayerSlot, seed: UInt64, skill: BotSkill) {
        self.slot = slot
        self.skill = skill
        random = SeededRandom(seed: seed)
    }

    public mutating func nextInput(rules: BlastRules, state: BlastState) -> PlayerInput {
        let me = slot.index
        guard me < state.players.count, state.players[me].status == .alive, state.players[me].cell < state.terrain.count else {
            return .none
        }
        if state.players[me].cooldown > 0 { return lastMove }
        let decision = randomDecision(rules: rules, state: state)
        lastMove = BlastInput(move: decision.move).playerInput
        return decision.playerInput
    }

    private mutating func randomDecision(rules: BlastRules, state: BlastState) -> BlastInput {
        let player = state.players[slot.index]
        var choice = BlastInput.Move.stay
        var options = 1
        for direction in BlastDirection.inOrder {
            let next = rules.board.step(player.cell, direction)
            guard Terrain.isWalkable(state.terrain[next]), !state.bombAt[next] else { continue }
            options += 1
            if random.nextIndex(below: options) == 0 { choice = .step(direction) }
        }
        let bomb = player.bombsOnBoard < player.bombCapacity && random.nextIndex(below: 10) == 0
        return BlastInput(move: choice, dropsBomb: bomb)
    }
}
