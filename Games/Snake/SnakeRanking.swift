import MeshplayCore

extension SnakeRules {
    /// Players best first. Ranking, in order of precedence:
    /// 1. players still in the match before players who left,
    /// 2. higher score (one per food eaten, plus `killBonus` per kill),
    /// 3. longer snake on the board at that moment (0 while respawning),
    /// 4. fewer deaths.
    /// Players equal on all four share a place; they are listed in slot order.
    public func ranking(of state: SnakeState) -> [GameOutcome.Placing] {
        var order = Array(state.snakes.indices)
        // Insertion sort: stable, allocation-free beyond `order`, and at most 16 entries.
        for next in 1 ..< max(order.count, 1) {
            var position = next
            while position > 0, ranksAbove(order[position], order[position - 1], in: state) {
                order.swapAt(position, position - 1)
                position -= 1
            }
        }
        var placings: [GameOutcome.Placing] = []
        for (position, index) in order.enumerated() {
            var place = position + 1
            if position > 0, !ranksAbove(order[position - 1], index, in: state) {
                place = placings[position - 1].place
            }
            placings.append(GameOutcome.Placing(slot: PlayerSlot(index), score: state.snakes[index].score(killBonus: config.killBonus), place: place))
        }
        return placings
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
        var winner: PlayerSlot? = nil
        if !everyoneLeft, let first = placings.first {
            let firstPlaces = placings.count { $0.place == 1 }
            if firstPlaces == 1 { winner = first.slot }
        }
        return GameOutcome(placings: placings, winner: winner, reason: everyoneLeft ? "everyone left" : "time up")
    }
}
