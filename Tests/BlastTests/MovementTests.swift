import MeshplayCore
import Testing
@testable import Blast

@Suite("Movement and collisions")
struct MovementTests {
    /// Spawn 1 top left, spawn 2 top right; a crate at 3,2 between pillars.
    static let board = """
        #######
        #1...2#
        #.#%#.#
        #.....#
        #######
        """

    @Test func playersStartOnTheirSpawnsAndStep() throws {
        let rules = try testRules(Self.board)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        #expect(rules.at(0, state) == point(1, 1) && rules.at(1, state) == point(5, 1))
        rules.step(&state, right, down)
        #expect(rules.at(0, state) == point(2, 1) && rules.at(1, state) == point(5, 2))
        rules.step(&state, idle, idle)
        #expect(rules.at(0, state) == point(2, 1), "one press is one step")
    }

    @Test func wallsAndCratesBlock() throws {
        let rules = try testRules(Self.board)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.step(&state, up, right)  // the border wall above, the border wall to the right
        #expect(rules.at(0, state) == point(1, 1) && rules.at(1, state) == point(5, 1))
        rules.step(&state, right)
        rules.step(&state, down)  // pillar at 2,2
        #expect(rules.at(0, state) == point(2, 1))
        rules.step(&state, right)
        rules.step(&state, down)  // crate at 3,2
        #expect(rules.at(0, state) == point(3, 1))
    }

    @Test func bombsBlockExceptTheOneUnderfoot() throws {
        let rules = try testRules(Self.board, fuseTicks: 50)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.step(&state, BlastInput.step(.right, bomb: true))  // drop on 1,1, then step to 2,1
        #expect(rules.at(0, state) == point(2, 1))
        #expect(rules.bombs(in: state).map(\.at) == [point(1, 1)])
        rules.step(&state, left)
        #expect(rules.at(0, state) == point(2, 1), "cannot walk back onto the bomb")
        // The second player walks to 3,1 and drops a bomb, standing on it; it can leave.
        rules.step(&state, idle, left)
        rules.step(&state, idle, left)
        rules.step(&state, idle, bomb)
        #expect(rules.at(1, state) == point(3, 1))
        rules.step(&state, right, right)
        #expect(rules.at(0, state) == point(2, 1), "a bomb blocks the other player too")
        #expect(rules.at(1, state) == point(4, 1))
    }

    @Test func playersPassThroughEachOther() throws {
        let rules = try testRules(Self.board)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        for _ in 0 ..< 4 { rules.step(&state, right, left) }
        #expect(rules.at(0, state) == point(5, 1) && rules.at(1, state) == point(1, 1))
    }

    @Test func stepsWaitForTheCooldownAndAreQueued() throws {
        let rules = try testRules(Self.board, moveTicks: 3, maxSpeedUps: 2)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.step(&state, right)  // tick 0: steps at once
        #expect(rules.at(0, state) == point(2, 1))
        rules.step(&state, right)  // tick 1: cooling down; the press waits
        #expect(rules.at(0, state) == point(2, 1))
        rules.step(&state, idle)  // tick 2: still cooling; "nothing" keeps the queued step
        #expect(rules.at(0, state) == point(2, 1))
        rules.step(&state, idle)  // tick 3: the queued step is taken
        #expect(rules.at(0, state) == point(3, 1))
        rules.step(&state, right)
        rules.step(&state, BlastInput.stay)  // "stay" cancels it
        rules.wait(&state, ticks: 3)
        #expect(rules.at(0, state) == point(3, 1))
    }

    @Test func speedPowerUpsShortenTheInterval() throws {
        let rules = try testRules("#########\n#1......#\n#########\n", moveTicks: 3, maxSpeedUps: 2)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.setTerrain(Terrain.item(.speed), at: point(2, 1), in: &state)
        rules.setTerrain(Terrain.item(.speed), at: point(3, 1), in: &state)
        rules.setTerrain(Terrain.item(.speed), at: point(4, 1), in: &state)
        var stepTicks: [Int] = []
        var last = rules.at(0, state)
        for tick in 0 ..< 12 {
            rules.step(&state, right)
            if rules.at(0, state) != last {
                stepTicks.append(tick)
                last = rules.at(0, state)
            }
        }
        // A step's cooldown uses the speed it was taken at: 3 ticks, then 2 after the first
        // speed-up, then 1; the third speed-up is past the cap.
        #expect(stepTicks == [0, 3, 5, 6, 7, 8])
        #expect(rules.powers(of: PlayerSlot(0), in: state).speedUps == 2)
    }

    @Test func unknownInputBitsAreHarmless() throws {
        let rules = try testRules(Self.board)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        for raw: UInt16 in [6, 7, 0xFFF0, 0x10 | 2, 0x8000] {
            rules.step(&state, PlayerInput(rawValue: raw))
        }
        // Only 0x12 (move bits 2 = right) moved; none of them dropped a bomb.
        #expect(rules.at(0, state) == point(2, 1))
        #expect(state.bombCount == 0)
        #expect(rules.brokenInvariant(state) == nil)
    }
}
