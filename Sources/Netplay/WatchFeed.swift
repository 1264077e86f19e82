import Crypto
import Lockstep
import MeshTransport
import MeshplayCore
import Replay

/// A subscriber's side of a watch feed (see `WatchMessage`): the history bytes one player
/// sends, read as the replay they are, queued, and applied to a fed ``MatchCore`` up to the
/// tick the subscriber wants to show (a spectator trails the feed by its delay; a returning
/// player catches up at once).
///
/// Nothing the feeder sends is taken on its word. The replay reader checks every record's
/// check chain and every entry; each checkpoint is compared with the re-simulation; each
/// player's attestation is checked against the statement the re-simulation makes, with the
/// public key whose digest is that seat's peer id. A feed that fails any of it is refused
/// (``problem``) and the subscriber turns to another player.
///
/// Bounds: history bytes are accepted only in order and only up to `MatchHistory.maxBytes`;
/// the queue holds runs of ticks (one entry per input change), so its size follows the
/// history's, not the tick count.
public struct WatchFeed: Sendable {
    /// One applied step of the feed.
    enum Step: Sendable {
        case advance(count: Int, inputs: [PlayerInput])
        case event(LockstepEvent)
        case checkpoint(ReplayCheckpoint)
        case attestation(ReplayAttestation)
        case end(ReplayTrailer)
    }

    /// The player feeding us.
    public let feeder: PeerID
    /// Who holds each seat (told before any history), and the room's round.
    public private(set) var seats: [PeerID]?
    public private(set) var round: UInt32 = 0
    /// History bytes received so far (the next piece must start here).
    public private(set) var received = 0
    /// Why the feed was refused here, if it was: a damaged or forged history, or the feeder's refusal.
    public private(set) var problem: String?
    /// The end of the match, once it was applied.
    public private(set) var trailer: ReplayTrailer?
    /// Whether the whole history, trailer included, has arrived (the feeder may go now).
    public private(set) var isComplete = false
    private var pending: [UInt8] = []
    private var reader: ReplayReader?
    private var queue: [Step] = []
    private var queueHead = 0
    /// When the feed reached each tick (the latest first reaching it), oldest first: a spectator
    /// shows a tick its delay after it arrived. Trimmed as ticks are shown.
    private var arrivals: [(tick: Tick, at: Timestamp)] = []
    /// The checksum the re-simulation computed at the last checkpoint tick it reached.
    private var computed: (tick: Tick, checksum: StateChecksum)?

    /// A feed from `feeder`, not yet subscribed.
    public init(feeder: PeerID) {
        self.feeder = feeder
    }

    /// The replay header, once received.
    public var header: ReplayHeader? { reader?.header }

    /// The tick the history received so far reaches.
    public var availableTick: Tick { reader?.tick ?? .zero }

    /// Whether every step received has been applied.
    public var isDrained: Bool { queueHead == queue.count }

    /// The latest tick the feed had reached `delay` before `now` (what a spectator shows now).
    public mutating func tick(reachedAtLeast delay: TimeSpan, before now: Timestamp) -> Tick {
        var reached = Tick.zero
        var shown = 0
        for (index, arrival) in arrivals.enumerated() where !(now < arrival.at + delay) {
            reached = arrival.tick
            shown = index
        }
        if shown > 0 { arrivals.removeFirst(shown) }
        return reached
    }

    /// Takes a message from the feeder, arrived at `now`. Returns true when the header just
    /// became readable (the subscriber can now set up its game).
    public mutating func receive(_ message: WatchMessage, at now: Timestamp) -> Bool {
        let before = availableTick
        defer { if availableTick > before || arrivals.isEmpty { arrivals.append((availableTick, now)) } }
        guard problem == nil else { return false }
        switch message {
        case .seats(let round, let players):
            guard seats == nil, !players.isEmpty else { return false }
            seats = players
            self.round = round
        case .history(let offset, let bytes):
            guard seats != nil, offset == UInt64(received) else {
                problem = "the history arrived out of order"
                return false
            }
            guard received + bytes.count <= MatchHistory.maxBytes else {
                problem = "the history passed \(MatchHistory.maxBytes >> 20) MiB"
                return false
            }
            received += bytes.count
            return take(bytes)
        case .refused(let reason):
            problem = "refused: \(ChatText.sanitize(reason))"
        case .subscribe, .seatMe, .unsubscribe, .seated:
            break
        }
        return false
    }

    /// Marks the feed bad (the subscriber found it does not hold).
    public mutating func refuse(_ reason: String) {
        if problem == nil { problem = reason }
    }

    private mutating func take(_ bytes: [UInt8]) -> Bool {
        if reader != nil {
            reader!.append(bytes)
            readItems()
            return false
        }
        pending += bytes
        guard pending.count >= ReplayFormat.preambleSize else { return false }
        do {
            var scanner = try ReplayRecordScanner(bytes: pending)
            if case .truncated = try scanner.next() { return false }
            reader = try ReplayReader(bytes: pending)
        } catch {
            problem = "the history is not a readable replay: \(error)"
            return false
        }
        pending = []
        guard let plan = header?.attestation, let seats, seats.count == plan.publicKeys.count else {
            problem = "the history is not signed for the seats it was sent with"
            return false
        }
        // Each seat's key must be the one its peer id is the digest of: a feeder cannot sign for others.
        for (index, key) in plan.publicKeys.enumerated() {
            guard let publicKey = try? Curve25519.Signing.PublicKey(rawRepresentation: key), PeerID(publicKey: publicKey) == seats[index] else {
                problem = "the history's key of slot \(index) is not that seat's"
                return false
            }
        }
        readItems()
        return problem == nil
    }

    /// Moves what the reader can decode into the queue.
    private mutating func readItems() {
        guard reader != nil, trailer == nil else { return }
        do {
            loop: while true {
                switch try reader!.next() {
                case .advance(let count):
                    queue.append(.advance(count: count, inputs: reader!.inputs))
                case .checkpoint(let checkpoint):
                    queue.append(.checkpoint(checkpoint))
                case .event(let event, let tick):
                    queue.append(.event(Self.lockstepEvent(event, at: tick)))
                case .attestation(let attestation):
                    queue.append(.attestation(attestation))
                case .end(let trailer):
                    queue.append(.end(trailer))
                    isComplete = true
                    break loop
                case .truncated:
                    break loop
                }
            }
        } catch {
            problem = "the history is damaged: \(error)"
        }
    }

    static func lockstepEvent(_ event: ReplayEvent, at tick: Tick) -> LockstepEvent {
        switch event {
        case .chat(let slot, let text): .chat(slot: slot, text: text, tick: tick)
        case .leave(let slot): .dropped(slot: slot, tick: tick)
        case .rejoin(let slot): .rejoined(slot: slot, tick: tick)
        }
    }

    /// Applies queued steps to `core` (a fed match of this feed's game) until its game reaches
    /// `target` (events at `target` included). Checks checkpoints and attestations as it goes;
    /// returns the events applied (chat, leaves, returns), for the subscriber to show.
    public mutating func apply(to core: inout MatchCore, upTo target: Tick) -> [LockstepEvent] {
        var applied: [LockstepEvent] = []
        while problem == nil, queueHead < queue.count {
            switch queue[queueHead] {
            case .advance(let count, let inputs):
                let room = Int(target.rawValue) - Int(core.game.tick.rawValue)
                guard room > 0 else { return applied }
                let steps = min(count, room)
                for _ in 0..<steps {
                    let tick = core.game.tick
                    if let checksum = core.applyFed(inputs: inputs) { computed = (Tick(tick.rawValue + 1), checksum) }
                }
                if steps < count {
                    queue[queueHead] = .advance(count: count - steps, inputs: inputs)
                    return applied
                }
            case .event(let event):
                core.applyFed(event)
                applied.append(event)
            case .checkpoint(let checkpoint):
                let mine = checkpoint.tick == .zero ? core.game.checksum() : computed.flatMap { $0.tick == checkpoint.tick ? $0.checksum : nil }
                if let mine, mine != checkpoint.checksum {
                    problem = "the history's checksum at tick \(checkpoint.tick) is not the re-simulation's"
                }
            case .attestation(let attestation):
                if core.checkFed(slot: attestation.slot, tick: attestation.tick.rawValue, signature: attestation.signature) == .invalid {
                    problem = "the signature of slot \(attestation.slot.index) at tick \(attestation.tick) does not hold"
                }
            case .end(let trailer):
                if core.game.checksum() != trailer.finalChecksum {
                    problem = "the history's final checksum is not the re-simulation's"
                }
                self.trailer = trailer
            }
            queueHead += 1
        }
        if queueHead == queue.count, queueHead > 64 {
            queue.removeAll(keepingCapacity: true)
            queueHead = 0
        }
        return applied
    }

    /// The latest tick that more than half of `players` attested (a signature that held here),
    /// or 0: a later signature vouches for every input before it, the hash chains them all.
    public static func majorityAttested(_ attestedThrough: [UInt32], among players: [PlayerSlot]) -> UInt32 {
        let ticks = players.compactMap { attestedThrough.indices.contains($0.index) ? attestedThrough[$0.index] : nil }.sorted(by: >)
        guard !ticks.isEmpty else { return 0 }
        return ticks[ticks.count / 2]
    }
}
