import MeshplayCore

/// One player's side of attestations during a match: it hashes the inputs as they are
/// applied, signs its own statement at each attestation tick, and checks the signatures
/// peers send against statements it built itself.
///
/// A peer's attestation for a tick this player has not reached yet is held (only the latest
/// per slot, so a peer cannot make it store more) and checked once the tick is reached.
public struct Attestor: Sendable {
    /// What the signature of a peer came to.
    public enum Verdict: Equatable, Sendable {
        /// It holds: keep it (record it).
        case valid
        /// It does not hold for our own statement of that tick (a desync, a forgery, or a key we lack).
        case invalid
        /// The tick is not reached here yet (held), or too old to check (dropped).
        case unchecked
    }

    /// Signs the local player's statements.
    public typealias Signer = @Sendable ([UInt8]) -> [UInt8]

    /// The interval and keys.
    public let plan: AttestationPlan
    /// The signer's seat.
    public let localSlot: PlayerSlot
    private let game: GameIdentity
    private let engineVersion: UInt16
    private let sign: Signer
    private var chain: InputChain
    /// Our recent statements, oldest first (peers' signatures arrive within a few seconds of ours).
    private var statements: [AttestationStatement] = []
    private var held: [(tick: UInt32, signature: [UInt8])?]

    /// Statements kept to check late signatures against.
    static let keptStatements = 4

    /// An attestor for `localSlot` in a game of `plan.publicKeys.count` players.
    public init(plan: AttestationPlan, localSlot: PlayerSlot, game: GameIdentity, engineVersion: UInt16, sign: @escaping Signer) {
        self.plan = plan
        self.localSlot = localSlot
        self.game = game
        self.engineVersion = engineVersion
        self.sign = sign
        chain = InputChain(playerCount: plan.publicKeys.count)
        held = Array(repeating: nil, count: plan.publicKeys.count)
    }

    /// Adds the inputs applied at `tick`; when the game's tick count then reaches an attestation
    /// tick, `checksum` (the state after `tick`) is asked for and our signature returned, with
    /// the peers' held signatures that now hold.
    public mutating func applied(
        tick: Tick, inputs: [PlayerInput], checksum: () -> StateChecksum
    ) -> (own: (tick: UInt32, signature: [UInt8]), released: [(slot: PlayerSlot, tick: UInt32, signature: [UInt8])])? {
        chain.record(tick: tick, inputs: inputs)
        let reached = tick.rawValue + 1
        guard Int(reached) % plan.interval == 0 else { return nil }
        let statement = AttestationStatement(
            engineVersion: engineVersion, game: game, tick: reached, checksum: checksum(), inputHash: chain.seal())
        statements.append(statement)
        if statements.count > Self.keptStatements { statements.removeFirst() }
        var released: [(slot: PlayerSlot, tick: UInt32, signature: [UInt8])] = []
        for index in held.indices {
            guard let pending = held[index], pending.tick <= reached else { continue }
            held[index] = nil
            if check(PlayerSlot(index), tick: pending.tick, signature: pending.signature) == .valid {
                released.append((PlayerSlot(index), pending.tick, pending.signature))
            }
        }
        return ((reached, sign(statement.bytes)), released)
    }

    /// Checks a peer's signature for `tick`; one for a tick not reached yet is held.
    public mutating func check(_ slot: PlayerSlot, tick: UInt32, signature: [UInt8]) -> Verdict {
        guard slot.index < held.count, tick > 0, Int(tick) % plan.interval == 0 else { return .invalid }
        if tick > statements.last?.tick ?? 0 {
            if (held[slot.index]?.tick ?? 0) < tick { held[slot.index] = (tick, signature) }
            return .unchecked
        }
        guard let statement = statements.first(where: { $0.tick == tick }) else { return .unchecked }
        return statement.isSigned(by: plan.publicKeys[slot.index], signature: signature) ? .valid : .invalid
    }
}
