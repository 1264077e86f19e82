import MeshplayCore

extension BlastRules {
    /// Players best first. Ranking, in order of precedence:
    /// 1. standing players, then players caught in a blast, then players who left;
    /// 2. standing players: more kills first; fallen ones (caught or left): the one who fell
    ///    later first (it lasted longer), then more kills.
    /// Players equal on these share a place (a draw when it is the first place); they are
    /// listed in slot order. The score shown is the kill count.
    public func ranking(of state: BlastState) -> [GameOutcome.Placing] {
        GameOutcome.placings(
            players: state.players.count, score: { state.players[$0.index].kills },
            ranksAbove: { ranksAbove($0.index, $1.index, in: state) })
    }

    /// Whether slot `first` ranks strictly above slot `second`.
    func ranksAbove(_ first: Int, _ second: Int, in state: BlastState) -> Bool {
        let a = state.players[first]
        let b = state.players[second]
        if a.status != b.status { return a.status.rawValue < b.status.rawValue }
        if a.status != .alive && a.fallTick != b.fallTick { return a.fallTick > b.fallTick }
        return a.kills > b.kills
    }

    /// Once the match is over (see `isOver`), every player ranked by `ranking(of:)`.
    ///
    /// Winner rule: the last player standing wins at once, whatever the kills ("last player
    /// standing"). When the clock runs out with several standing ("time up"), the standing
    /// player with the most kills wins; equal kills make a draw (no winner). When the last
    /// players fall together ("no one standing"), the one with most kills among those who
    /// fell last wins, else it is a draw. When everyone left there is no winner.
    public func outcome(of state: BlastState) -> GameOutcome? {
        guard isOver(state) else { return nil }
        let placings = ranking(of: state)
        let reason = endReason(state)
        let winner = state.present > 0 ? GameOutcome.soleWinner(of: placings) : nil
        return GameOutcome(placings: placings, winner: winner, reason: reason)
    }

    /// Why the match ended: "everyone left", "last player standing", "no one standing" or "time up".
    func endReason(_ state: BlastState) -> String {
        if state.present == 0 { return "everyone left" }
        if state.players.count > 1 && state.standing == 1 { return "last player standing" }
        if state.standing == 0 { return "no one standing" }
        return "time up"
    }
}
