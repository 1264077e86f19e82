extension GameOutcome {
    /// Placings for `players` players, best first, ordered by `ranksAbove` (whether one slot
    /// ranks strictly above another). Players neither ranks above share a place; among
    /// themselves they keep slot order, so the result is the same on every peer.
    ///
    /// A stable insertion sort: at most a few dozen players, and no allocation beyond the result.
    public static func placings(
        players: Int, score: (PlayerSlot) -> Int, ranksAbove: (PlayerSlot, PlayerSlot) -> Bool
    ) -> [Placing] {
        var order = (0 ..< max(players, 0)).map { PlayerSlot($0) }
        for next in order.indices.dropFirst() {
            var position = next
            while position > 0, ranksAbove(order[position], order[position - 1]) {
                order.swapAt(position, position - 1)
                position -= 1
            }
        }
        var placings: [Placing] = []
        placings.reserveCapacity(order.count)
        for (position, slot) in order.enumerated() {
            var place = position + 1
            if position > 0, !ranksAbove(order[position - 1], slot) { place = placings[position - 1].place }
            placings.append(Placing(slot: slot, score: score(slot), place: place))
        }
        return placings
    }

    /// The single player in first place, or nil for a draw (several share it, or there is no one).
    public static func soleWinner(of placings: [Placing]) -> PlayerSlot? {
        guard let first = placings.first, placings.count(where: { $0.place == 1 }) == 1 else { return nil }
        return first.slot
    }
}
