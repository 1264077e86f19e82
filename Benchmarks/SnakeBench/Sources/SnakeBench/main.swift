// Measures what the replay verifier and bots pay per tick, with the real module
// boundaries and release optimisation. Prints figures; asserts nothing about time.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import AllocationCounter
import MeshplayCore
import Snake

func nanoseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
}

func players(_ count: Int) -> [PlayerInfo] {
    (0 ..< count).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0)") }
}

/// Plays `ticks` ticks with `count` bots of `skill` and returns every tick's inputs, flat.
func recordBotGame(rules: SnakeRules, count: Int, ticks: Int, seed: UInt64, skill: BotSkill) throws -> (inputs: [PlayerInput], botNanos: UInt64) {
    var state = try rules.initialState(players: players(count), seed: seed)
    var bots = (0 ..< count).map { SnakeBot(rules: rules, slot: PlayerSlot($0), seed: seed &+ UInt64($0), skill: skill) }
    var all: [PlayerInput] = []
    all.reserveCapacity(ticks * count)
    var tickInputs = [PlayerInput](repeating: .none, count: count)
    var botNanos: UInt64 = 0
    for _ in 0 ..< ticks {
        let start = nanoseconds()
        for index in 0 ..< count { tickInputs[index] = bots[index].nextInput(rules: rules, state: state) }
        botNanos += nanoseconds() - start
        all.append(contentsOf: tickInputs)
        rules.step(&state, inputs: tickInputs)
    }
    return (all, botNanos)
}

/// Re-simulates recorded inputs `rounds` times; returns the best ns per step and the final checksum.
func replay(rules: SnakeRules, count: Int, inputs: [PlayerInput], seed: UInt64, rounds: Int) throws -> (nsPerStep: Double, allocations: UInt, checksum: StateChecksum) {
    let ticks = inputs.count / count
    var best = UInt64.max
    var allocations: UInt = 0
    var checksum = StateChecksum(rawValue: 0)
    var tickInputs = [PlayerInput](repeating: .none, count: count)
    for _ in 0 ..< rounds {
        var state = try rules.initialState(players: players(count), seed: seed)
        let allocationsBefore = allocation_count()
        let start = nanoseconds()
        for tick in 0 ..< ticks {
            for index in 0 ..< count { tickInputs[index] = inputs[tick * count + index] }
            rules.step(&state, inputs: tickInputs)
        }
        best = min(best, nanoseconds() - start)
        allocations = allocation_count() - allocationsBefore
        checksum = rules.checksum(of: state)
    }
    return (Double(best) / Double(ticks), allocations, checksum)
}

func checksumCost(rules: SnakeRules, count: Int, inputs: [PlayerInput], seed: UInt64) throws -> Double {
    var state = try rules.initialState(players: players(count), seed: seed)
    var tickInputs = [PlayerInput](repeating: .none, count: count)
    let ticks = inputs.count / count
    for tick in 0 ..< ticks {
        for index in 0 ..< count { tickInputs[index] = inputs[tick * count + index] }
        rules.step(&state, inputs: tickInputs)
    }
    let repeats = 20_000
    var mix: UInt64 = 0
    let start = nanoseconds()
    for _ in 0 ..< repeats { mix ^= rules.checksum(of: state).rawValue }
    let elapsed = nanoseconds() - start
    if mix == 42 { print("") }  // keeps the loop alive
    return Double(elapsed) / Double(repeats)
}

func format(_ value: Double) -> String {
    let tenths = Int((value * 10).rounded())
    return "\(tenths / 10).\(tenths % 10)"
}

let seed: UInt64 = 0x5EED
let ticks = 200_000
for mapName in ["arena16", "open", "maze"] {
    let map = SnakeMap.builtin(mapName)!
    let rules = try SnakeRules(config: .standard(map: map, matchTicks: 10_000_000))
    let count = 8
    let botAllocationsBefore = allocation_count()
    let recorded = try recordBotGame(rules: rules, count: count, ticks: ticks, seed: seed, skill: .normal)
    let botAllocations = allocation_count() - botAllocationsBefore
    let result = try replay(rules: rules, count: count, inputs: recorded.inputs, seed: seed, rounds: 5)
    let checksumNanos = try checksumCost(rules: rules, count: count, inputs: recorded.inputs, seed: seed)
    let botPerTick = Double(recorded.botNanos) / Double(ticks)
    print("\(mapName) \(map.width)x\(map.height), \(count) normal bots, \(ticks) ticks:")
    print("  step: \(format(result.nsPerStep)) ns (best of 5 replays) = \(Int(1e9 / result.nsPerStep)) ticks/s, final checksum \(result.checksum)")
    print("  heap allocations while re-simulating \(ticks) ticks: \(result.allocations)")
    print("  heap allocations while playing with bots (incl. recording): \(botAllocations)")
    print("  checksum of the state: \(format(checksumNanos)) ns")
    print("  8 bot decisions: \(format(botPerTick / 1000)) us per tick")
    var state = try rules.initialState(players: players(count), seed: seed)
    for tick in 0 ..< 20_000 { rules.step(&state, inputs: Array(recorded.inputs[tick * count ..< (tick + 1) * count])) }
    let placings = rules.ranking(of: state).map { "\($0.slot)=\($0.score)" }.joined(separator: " ")
    print("  scores after 20000 ticks: \(placings)")
}
