import MeshplayCore

extension SnakeRules {
    /// Players best first. Ranking, in order of precedence:
    /// 1. players still in the match before players who left,
    /// 2. higher score (one per food eaten, plus `killBonus` per kill),
    /// 3. longer snake on the board at that moment (0 while respawning),
    /// 4. fewer deaths.
    /// Players equal on all four share a place; they are listed in slot order.
    public func ranking(of state: SnakeState) -> [GameOutcome.Placing] {
        GameOutcome.placings(
            players: state.snakes.count, score: { state.snakes[$0.index].score(killBonus: config.killBonus) },
            ranksAbove: { ranksAbove($0.index, $1.index, in: state) })
    }

    /// Whether slot `first` ranks strictly above slot `second`.
    func ranksAbove(_ first: Int, _ second: Int, in state: SnakeState) -> Bool {
        let a = state.snakes[first]
        let b = state.snakes[second]
        let aStayed = a.status != .left
        let bStayed = b.status != .left
        if aStayed != bStayed { return aStayed }
        let aScore = a.score(killBonus: config.killBonus)
        let bScore = b.score(killBonus: config.killBonus)
        if aScore != bScore { return aScore > bScore }
        if a.length != b.length { return a.length > b.length }
        return a.deaths < b.deaths
    }

    /// Once the match is over: every player ranked (see `ranking(of:)`); the winner is the
    /// only player in first place, or nil for a draw (or when everyone left).
    public func outcome(of state: SnakeState) -> GameOutcome? {
        guard isOver(state) else { return nil }
        let placings = ranking(of: state)
        let everyoneLeft = state.playersPresent == 0
        let winner = everyoneLeft ? nil : GameOutcome.soleWinner(of: placings)
        return GameOutcome(placings: placings, winner: winner, reason: everyoneLeft ? "everyone left" : "time up")
    }
}
