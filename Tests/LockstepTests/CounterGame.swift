import MeshplayCore

/// A tiny deterministic game for lockstep tests: every player's inputs are
/// folded into a running mix, so any difference in applied inputs, their
/// order or a drop tick changes every later checksum.
struct CounterGame: GameRules {
    struct Config: CanonicalCodable, Sendable, Equatable {
        /// The tick after which this instance flips a bit of its state: set on
        /// one peer only, it is the deliberately non-deterministic variant.
        var flipAfterTick: UInt32?

        init(flipAfterTick: UInt32? = nil) { self.flipAfterTick = flipAfterTick }

        func encode(to encoder: inout some CanonicalEncoder) {
            encoder.writeVarint(flipAfterTick.map { UInt64($0) + 1 } ?? 0)
        }

        init(from reader: inout ByteReader) throws {
            let raw = try reader.readVarint(max: Int(UInt32.max) + 1)
            flipAfterTick = raw == 0 ? nil : UInt32(raw - 1)
        }
    }

    struct State: Sendable {
        var tick: UInt32 = 0
        var mix: UInt64
        var totals: [UInt64]
        var present: [Bool]
    }

    struct Bot: GameBot {
        init(rules: CounterGame, slot: PlayerSlot, seed: UInt64, skill: BotSkill) {}
        mutating func nextInput(rules: CounterGame, state: State) -> PlayerInput { .none }
    }

    static let identity = GameIdentity(id: "counter", version: 1)

    static let controls = GameControls(bindings: [], holdsLastInput: true, helpLines: [])
    let config: Config
    init(config: Config) throws { self.config = config }
    var maxPlayers: Int { PlayerSlot.capacity }

    func initialState(players: [PlayerInfo], seed: UInt64) throws -> State {
        State(mix: seed, totals: Array(repeating: 0, count: players.count), present: Array(repeating: true, count: players.count))
    }

    func step(_ state: inout State, inputs: [PlayerInput]) {
        for slot in state.totals.indices where state.present[slot] {
            let value = UInt64(inputs[slot].rawValue) &+ 1
            state.totals[slot] = state.totals[slot] &* 31 &+ value
            state.mix = (state.mix ^ (value << UInt64(slot % 48))) &* 0x9E37_79B9_7F4A_7C15
        }
        if config.flipAfterTick == state.tick { state.mix ^= 1 }
        state.tick += 1
    }

    func removePlayer(_ slot: PlayerSlot, from state: inout State) {
        state.present[slot.index] = false
        state.mix = (state.mix ^ UInt64(state.tick)) &* 0xBF58_476D_1CE4_E5B9
    }

    /// A returning player counts again, and the mix notes when: a peer that failed to restore it disagrees.
    func restorePlayer(_ slot: PlayerSlot, to state: inout State) {
        state.present[slot.index] = true
        state.mix = (state.mix ^ UInt64(state.tick) << 1) &* 0x94D0_49BB_1331_11EB
    }

    func encodeState(_ state: State, to encoder: inout some CanonicalEncoder) {
        encoder.writeUInt32(state.tick)
        encoder.writeUInt64(state.mix)
        for (total, present) in zip(state.totals, state.present) {
            encoder.writeUInt64(total)
            encoder.writeBool(present)
        }
    }

    func outcome(of state: State) -> GameOutcome? { nil }

    func view(of state: State, players: [PlayerInfo]) -> GameView {
        GameView(width: 1, height: 1, cells: [.empty], scoreboard: [], status: "tick \(state.tick)")
    }

    func describe(_ state: State) -> String { "tick \(state.tick) mix \(state.mix)" }
}
