import MeshplayCore

/// Desync handling: a mismatch stops advancing at once; the event names every
/// differing peer once all live peers' checksums for that tick are in (or after
/// `desyncReportPatience` tick calls, with what is known), so each peer names the same culprits.
extension LockstepSession {
    /// Tick calls to wait for missing checksums before reporting with what is known.
    var desyncReportPatience: Int { 2 * configuration.tickRate }

    /// Notes a mismatch at `tick`; the session stops advancing.
    mutating func noteDesync(at tick: UInt32) {
        guard halted == nil else { return }
        halted = .desync
        pendingDesync = (tick, 0)
    }

    /// The desync event, once it can name every differing peer.
    mutating func desyncEventIfReady(waited: Bool) -> [LockstepAction] {
        guard var pending = pendingDesync else { return [] }
        if waited { pending.waitedCalls += 1 }
        pendingDesync = pending
        let result = checkpoints.comparison(at: pending.tick, among: livePeers)
        guard result.missing.isEmpty || pending.waitedCalls >= desyncReportPatience else { return [] }
        pendingDesync = nil
        let mine = checkpoints.ownChecksum(at: pending.tick) ?? StateChecksum(rawValue: 0)
        return [.desync(LockstepDesync(tick: Tick(pending.tick), localChecksum: mine, peers: result.differing))]
    }
}
