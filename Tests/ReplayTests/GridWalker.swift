import MeshplayCore

/// A tiny deterministic test game: walkers on a wrapping grid. Every input of every
/// active slot feeds a running mix and a seeded generator, so any changed input
/// changes the state (and so the checksum) from that tick on.
struct GridWalker: GameRules {
    struct Config: CanonicalCodable, Sendable, Equatable {
        var width: UInt8
        var height: UInt8
        /// The match ends after this many ticks.
        var length: UInt32

        init(width: UInt8 = 16, height: UInt8 = 12, length: UInt32 = 100_000) {
            self.width = width
            self.height = height
            self.length = length
        }

        func encode(to encoder: inout some CanonicalEncoder) {
            encoder.writeUInt8(width)
            encoder.writeUInt8(height)
            encoder.writeVarint(UInt64(length))
        }

        init(from reader: inout ByteReader) throws {
            width = try reader.readUInt8()
            height = try reader.readUInt8()
            length = UInt32(try reader.readVarint(max: Int(UInt32.max), "length"))
        }
    }

    struct State: Sendable {
        var x: [UInt8]
        var y: [UInt8]
        var active: [Bool]
        var score: [Int]
        var mix: UInt64
        var random: SeededRandom
        var tick: UInt32
    }

    struct Bot: GameBot {
        typealias Rules = GridWalker
        var random: SeededRandom
        var current = PlayerInput(rawValue: 1)
        init(rules: GridWalker, slot: PlayerSlot, seed: UInt64, skill: BotSkill) { random = SeededRandom(seed: seed) }
        mutating func nextInput(rules: GridWalker, state: State) -> PlayerInput {
            if random.next(below: 4) == 0 { current = PlayerInput(rawValue: UInt16(1 + random.next(below: 8))) }
            return current
        }
    }

    static let identity = GameIdentity(id: "grid-walker", version: 1)

    static let controls = GameControls(bindings: [], holdsLastInput: true, helpLines: [])

    let config: Config

    init(config: Config) throws {
        guard config.width > 0, config.height > 0 else { throw GameSetupError("empty grid") }
        self.config = config
    }

    var maxPlayers: Int { 32 }

    func initialState(players: [PlayerInfo], seed: UInt64) throws -> State {
        var random = SeededRandom(seed: seed)
        var state = State(x: [], y: [], active: [], score: [], mix: seed, random: random, tick: 0)
        for _ in players {
            state.x.append(UInt8(random.next(below: UInt64(config.width))))
            state.y.append(UInt8(random.next(below: UInt64(config.height))))
            state.active.append(true)
            state.score.append(0)
        }
        state.random = random
        return state
    }

    func step(_ state: inout State, inputs: [PlayerInput]) {
        for slot in 0..<state.x.count where state.active[slot] {
            let input = inputs[slot].rawValue
            switch input & 3 {
            case 0: state.x[slot] = state.x[slot] == config.width - 1 ? 0 : state.x[slot] + 1
            case 1: state.x[slot] = state.x[slot] == 0 ? config.width - 1 : state.x[slot] - 1
            case 2: state.y[slot] = state.y[slot] == config.height - 1 ? 0 : state.y[slot] + 1
            default: state.y[slot] = state.y[slot] == 0 ? config.height - 1 : state.y[slot] - 1
            }
            state.mix = (state.mix ^ UInt64(input) ^ UInt64(slot) << 20) &* 0x100_0000_01B3
            if state.random.next() & 0xFF == UInt64(state.x[slot]) { state.score[slot] += 1 }
        }
        state.tick += 1
    }

    func removePlayer(_ slot: PlayerSlot, from state: inout State) {
        state.active[slot.index] = false
    }

    /// A walker that comes back walks again from where it stopped.
    func restorePlayer(_ slot: PlayerSlot, to state: inout State) {
        state.active[slot.index] = true
    }

    func encodeState(_ state: State, to encoder: inout some CanonicalEncoder) {
        encoder.writeVarint(UInt64(state.tick))
        encoder.writeUInt64(state.mix)
        state.random.encode(to: &encoder)
        for slot in 0..<state.x.count {
            encoder.writeUInt8(state.x[slot])
            encoder.writeUInt8(state.y[slot])
            encoder.writeBool(state.active[slot])
            encoder.writeVarint(state.score[slot])
        }
    }

    func outcome(of state: State) -> GameOutcome? {
        guard state.tick >= config.length else { return nil }
        let order = state.score.indices.sorted { state.score[$0] != state.score[$1] ? state.score[$0] > state.score[$1] : $0 < $1 }
        var placings: [GameOutcome.Placing] = []
        for (rank, slot) in order.enumerated() {
            let tied = rank > 0 && state.score[order[rank - 1]] == state.score[slot]
            placings.append(GameOutcome.Placing(slot: PlayerSlot(slot), score: state.score[slot], place: tied ? placings[rank - 1].place : rank + 1))
        }
        let winner = order.count > 1 && state.score[order[0]] == state.score[order[1]] ? nil : PlayerSlot(order[0])
        return GameOutcome(placings: placings, winner: winner, reason: "time up")
    }

    func view(of state: State, players: [PlayerInfo]) -> GameView {
        let width = Int(config.width)
        var cells = Array(repeating: GameCell.empty, count: width * Int(config.height))
        for slot in 0..<state.x.count where state.active[slot] {
            cells[Int(state.y[slot]) * width + Int(state.x[slot])] = GameCell(glyph: "@", asciiGlyph: "@", role: .player(PlayerSlot(slot)))
        }
        let scoreboard = players.map { ScoreLine(slot: $0.slot, name: $0.name, score: state.score[$0.slot.index], status: state.active[$0.slot.index] ? "walking" : "left") }
        return GameView(width: width, height: Int(config.height), cells: cells, scoreboard: scoreboard, status: "tick \(state.tick)")
    }

    func describe(_ state: State) -> String { "tick \(state.tick) mix \(state.mix) x \(state.x) y \(state.y)" }
}
