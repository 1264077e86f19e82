import Simulation
import Foundation
import MeshplayTestSupport
import MeshplayCore
import Snake
import Testing

@Suite("Determinism across processes")
struct CrossProcessDeterminismTests {
    /// Two processes with different hash seeds (one randomised, one fixed) and this
    /// process must compute the same state checksum at every tick of the same match.
    @Test func everyTickChecksumAgreesAcrossProcessesAndHashSeeds() async throws {
        try await OffThePool.wait {
            let arguments = ["sim", "--players", "6", "--ticks", "400", "--seed", "11", "--map", "maze", "--trace-checksums"]
            let randomHashing = try MeshplayBinary.run(arguments, environment: ["SWIFT_DETERMINISTIC_HASHING": ""])
            let fixedHashing = try MeshplayBinary.run(arguments, environment: ["SWIFT_DETERMINISTIC_HASHING": "1"])
            #expect(randomHashing.exitCode == 0, "\(randomHashing.standardError)")
            #expect(fixedHashing.exitCode == 0, "\(fixedHashing.standardError)")

            let first = Self.tickLines(randomHashing.standardOutput)
            let second = Self.tickLines(fixedHashing.standardOutput)
            #expect(first.count == 400)
            #expect(first == second)

            // And this process, driving the same match through the library.
            let map = try SnakeMap.load(nameOrPath: "maze")
            let players = (0..<6).map { PlayerInfo(slot: PlayerSlot($0), name: "bot\($0 + 1)") }
            let game = try GameInstance(rules: try SnakeRules(config: .standard(map: map, matchTicks: 400)), players: players, seed: 11)
            let match = try LocalMatch(game: game, skill: .normal, botSeed: 11 ^ 0x5EED_B075)
            var local: [String] = []
            try match.run(ticks: 400) { tick in local.append("\(tick) \(game.checksum())") }
            #expect(local == first)
        }
    }

    @Test func differentSeedsDiverge() async throws {
        try await OffThePool.wait {
            let a = try MeshplayBinary.run(["sim", "--ticks", "200", "--seed", "1", "--trace-checksums"])
            let b = try MeshplayBinary.run(["sim", "--ticks", "200", "--seed", "2", "--trace-checksums"])
            #expect(Self.tickLines(a.standardOutput).last != Self.tickLines(b.standardOutput).last)
        }
    }

    static func tickLines(_ output: String) -> [String] {
        output.split(separator: "\n").map(String.init).filter { line in
            let parts = line.split(separator: " ")
            return parts.count == 2 && UInt32(parts[0]) != nil && parts[1].count == 16
        }
    }
}
