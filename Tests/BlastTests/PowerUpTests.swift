import MeshplayCore
import Testing
@testable import Blast

@Suite("Power-ups")
struct PowerUpTests {
    @Test func pickingUpRaisesPowersUpToTheirCaps() throws {
        let rules = try testRules("##########\n#1.......#\n##########\n", startRange: 1, maxRange: 2, startBombs: 1, maxBombs: 2)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        let kinds: [BlastPowerUp] = [.range, .range, .bomb, .bomb, .speed]
        for (offset, kind) in kinds.enumerated() {
            rules.setTerrain(Terrain.item(kind), at: point(2 + offset, 1), in: &state)
        }
        for _ in kinds { rules.step(&state, right) }
        let powers = rules.powers(of: PlayerSlot(0), in: state)
        #expect(powers.range == 2 && powers.bombs == 2 && powers.speedUps == 0)
        #expect(state.players[0].powerUpsTaken == 5)
        for offset in kinds.indices { #expect(rules.terrain(point(2 + offset, 1), state) == Terrain.floor) }
        // The range applies to bombs dropped from now on, and two bombs may lie at once.
        rules.step(&state, BlastInput.step(.right, bomb: true))
        rules.step(&state, bomb)
        #expect(rules.bombs(in: state).map(\.at) == [point(6, 1), point(7, 1)])
        #expect(state.bombs.map(\.range) == [2, 2])
        rules.step(&state, BlastInput.step(.right, bomb: true))
        #expect(state.bombCount == 2, "no third bomb")
    }

    @Test func theLowestSlotWinsAPowerUpBothReach() throws {
        let rules = try testRules("#####\n#1.2#\n#####\n")
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.setTerrain(Terrain.item(.bomb), at: point(2, 1), in: &state)
        rules.step(&state, right, left)
        #expect(rules.powers(of: PlayerSlot(0), in: state).bombs == 2)
        #expect(rules.powers(of: PlayerSlot(1), in: state).bombs == 1)
    }

    static let crateField = """
        ; many crates, to count what they hide
        #################################
        #1%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #.%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%2#
        #%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%.#
        #################################
        """

    static func hidden(_ rules: BlastRules, _ state: BlastState) -> [BlastPowerUp?] {
        state.terrain.filter(Terrain.isCrate).map { Terrain.powerUp(in: $0) }
    }

    @Test func cratesHidePowerUpsFromTheSeedAtTheConfiguredOdds() throws {
        var config = try testConfig(Self.crateField, powerUpPercent: 40)
        config.rangeWeight = 2
        config.bombWeight = 1
        config.speedWeight = 1
        let rules = try BlastRules(config: config)
        let first = try rules.initialState(players: testPlayers(2), seed: 5)
        let again = try rules.initialState(players: testPlayers(1), seed: 5)
        let other = try rules.initialState(players: testPlayers(2), seed: 6)
        let placed = Self.hidden(rules, first)
        #expect(placed == Self.hidden(rules, again), "the seed alone decides, not the player count")
        #expect(placed != Self.hidden(rules, other))
        let crates = placed.count
        let withPowerUp = placed.count { $0 != nil }
        let ranges = placed.count { $0 == .range }
        let bombs = placed.count { $0 == .bomb }
        print("\(crates) crates: \(withPowerUp) hide a power-up (\(ranges) range, \(bombs) bomb)")
        #expect(crates == config.map.crateCount)
        #expect(withPowerUp > crates * 30 / 100 && withPowerUp < crates * 50 / 100)
        #expect(ranges > withPowerUp * 40 / 100 && ranges < withPowerUp * 60 / 100)
    }

    @Test func zeroOddsHideNothing() throws {
        let rules = try testRules(Self.crateField, powerUpPercent: 0)
        let state = try rules.initialState(players: testPlayers(2), seed: 5)
        #expect(Self.hidden(rules, state).allSatisfy { $0 == nil })
    }
}
