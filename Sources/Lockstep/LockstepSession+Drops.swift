import MeshplayCore

/// Dropping a lost player at one tick every survivor agrees on.
///
/// The rule:
/// 1. A loss is declared by our link layer (`peerLost`) or adopted from any
///    peer's `lostMask`. From then on everything that peer sends is ignored
///    (its stream is frozen here), but its commands forwarded by live survivors
///    are still accepted.
/// 2. Every datagram carries `have` (per slot, the first tick not held) and
///    `lostMask`. Survivors forward a lost player's commands to any peer whose
///    `have` is lower than theirs, so holdings converge to the survivors' maximum.
/// 3. The lost player `p` is dropped at tick `D` = our `have[p]` once every live
///    peer's latest report shows the same `lostMask` as ours and `have[p] == D`.
///    Equal masks mean that peer had frozen every lost node before reporting, so
///    nothing can raise anyone's `have[p]` afterwards: every survivor that settles
///    settles on the same `D`. A survivor lost during the exchange is added to the
///    mask and stops being waited for; what it forwarded before counts, what it
///    did not never reaches anyone.
/// 4. `D` is never below the next tick to simulate (we held `p`'s commands for
///    every simulated tick), so ticks below `D` use `p`'s real commands and the
///    game removes `p` just before simulating `D`.
/// 5. A split must not become two games. At the first drop tick, a peer plays on only
///    if the slots it still reaches hold a majority of the seats in play (seats not
///    dropped before, not counting players who closed their link on purpose), or
///    exactly half including the lowest such seat; otherwise it stops before that tick
///    (`lostMajority`). In a split no lost player settles until every unreachable one
///    is lost (settling needs a matching report from every live peer), so each side
///    decides on the same lost set, and at most one side plays on. A silent crash counts
///    like a split: after one, the others play on while they hold a majority.
extension LockstepSession {
    mutating func declareLost(_ slot: PlayerSlot) {
        lostMask |= bit(slot)
    }

    /// Fixes the drop tick of every lost player the survivors now agree on.
    mutating func settleDrops() {
        for index in 0..<playerCount where lostMask & (1 << UInt32(index)) != 0 && dropTick[index] == nil {
            if disagreeingPeers(about: index).isEmpty { dropTick[index] = logs[index].contiguousEnd }
        }
    }

    /// Whether the slots this peer still reaches may play on (rule 5).
    var holdsMajority: Bool {
        let seats = (0..<playerCount).filter { !dropped[$0] && leftMask & (1 << UInt32($0)) == 0 }
        let reachable = seats.filter { lostMask & (1 << UInt32($0)) == 0 }
        if reachable.count * 2 != seats.count { return reachable.count * 2 > seats.count }
        return reachable.first == seats.first
    }

    /// The slots still in play that this peer reaches, itself included, in slot order.
    var reachableSlots: [PlayerSlot] {
        (0..<playerCount).compactMap { !dropped[$0] && lostMask & (1 << UInt32($0)) == 0 ? PlayerSlot($0) : nil }
    }

    /// Live peers whose latest report does not yet match ours about lost player `index`.
    func disagreeingPeers(about index: Int) -> [PlayerSlot] {
        let holding = logs[index].contiguousEnd
        return livePeers.filter { peer in
            let view = peers[peer.index]
            return !(view.heard && view.lostMask == lostMask && view.have[index] == holding)
        }
    }

    /// Whom tick `tick` waits for: players whose command is missing, or for a
    /// lost player whose drop is not settled, the survivors not yet in agreement.
    func culprits(at tick: Int) -> [PlayerSlot] {
        var waiting = Array(repeating: false, count: playerCount)
        for index in 0..<playerCount where !dropped[index] && logs[index].entry(at: tick) == nil {
            if lostMask & (1 << UInt32(index)) == 0 {
                waiting[index] = true
                continue
            }
            let peers = disagreeingPeers(about: index)
            if peers.isEmpty { waiting[index] = true }
            for peer in peers { waiting[peer.index] = true }
        }
        return waiting.indices.compactMap { waiting[$0] ? PlayerSlot($0) : nil }
    }
}
