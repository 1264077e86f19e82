import MeshplayCore
import Testing
@testable import Snake

@Suite("Movement, food and respawn")
struct MovementTests {
    static let corridor = "##########\n#.>......#\n##########\n"

    @Test func reversalIntoTheNeckAndUnknownInputsAreIgnored() throws {
        let rules = try testRules(Self.corridor, startLength: 3)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.placeFood([(8, 1)], in: &state)
        rules.step(&state, [nil])
        #expect(state.snakes[0].length == 2)
        rules.step(&state, [.left])
        #expect(rules.headPosition(0, in: state) == (4, 1))
        #expect(state.snakes[0].direction == .right)
        rules.step(&state, inputs: [PlayerInput(rawValue: 9)])
        rules.step(&state, inputs: [PlayerInput(rawValue: 0xFFFF)])
        #expect(rules.headPosition(0, in: state) == (6, 1))
        #expect(state.snakes[0].status == .alive)
    }

    @Test func oneCellSnakeHasNoNeckAndMayTurnBack() throws {
        let rules = try testRules(Self.corridor, startLength: 1)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.placeFood([(8, 1)], in: &state)
        rules.step(&state, [.left])
        #expect(state.snakes[0].status == .alive)
        #expect(rules.headPosition(0, in: state) == (1, 1))
    }

    @Test func eatingScoresAndGrowsFromTheNextTick() throws {
        let rules = try testRules(Self.corridor, startLength: 1, growthPerFood: 2)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.placeFood([(3, 1)], in: &state)
        rules.step(&state, [nil])
        #expect(rules.score(of: PlayerSlot(0), in: state) == 1)
        #expect(state.snakes[0].length == 1)
        #expect(rules.food(in: state).count == 1, "the eaten item is replaced")
        rules.placeFood([(1, 1)], in: &state)
        rules.step(&state, [nil])
        #expect(state.snakes[0].length == 2)
        rules.step(&state, [nil])
        #expect(state.snakes[0].length == 3)
        rules.step(&state, [nil])
        #expect(state.snakes[0].length == 3)
    }

    @Test(arguments: 0 ..< 8)
    func foodLandsOnTheLastFreeCell(seed: UInt64) throws {
        let rules = try testRules("######\n#>>>.#\n######\n")
        let state = try rules.initialState(players: testPlayers(3), seed: seed)
        #expect(rules.food(in: state).map { [$0.x, $0.y] } == [[4, 1]])
    }

    @Test func foodWaitsWhileTheBoardIsFull() throws {
        let rules = try testRules("#####\n#>..#\n#...#\n#####\n")
        var state = try rules.initialState(players: testPlayers(1), seed: 3)
        rules.placeSnake(0, [(1, 2), (2, 2), (3, 2), (3, 1), (2, 1)], heading: .left, pendingGrowth: 1, in: &state)
        rules.placeFood([(1, 1)], in: &state)
        rules.step(&state, [nil])  // eats the last free cell while the tail stays
        #expect(state.snakes[0].length == 6)
        #expect(rules.food(in: state).isEmpty)
        #expect(rules.brokenInvariant(state) == nil)
        rules.step(&state, [nil])  // nowhere to go: the wall
        #expect(state.snakes[0].status == .respawning)
        #expect(rules.food(in: state).count == 1)
        #expect(rules.brokenInvariant(state) == nil)
    }

    @Test func respawnWaitsForACoveredSpawnAndTakesTheFirstFreeOne() throws {
        let rules = try testRules("########\n#>....<#\n#......#\n#......#\n########\n")
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.makeRespawning(0, countdown: 1, in: &state)
        // Slot 1 lies over both spawns and keeps its tail there for three ticks.
        rules.placeSnake(1, [(6, 1), (5, 1), (4, 1), (3, 1), (2, 1), (1, 1), (1, 2)], heading: .down, pendingGrowth: 3, in: &state)
        rules.placeFood([(6, 3)], in: &state)
        for move: Direction? in [nil, .right, .right] {
            rules.step(&state, [nil, move])
            #expect(state.snakes[0].status == .respawning)
            #expect(rules.statusWord(state.snakes[0]) == "blocked")
        }
        rules.step(&state, [nil, .right])  // slot 1's tail leaves (6, 1)
        #expect(state.snakes[0].status == .alive)
        #expect(rules.headPosition(0, in: state) == (6, 1))
        #expect(state.snakes[0].direction == .left)
        #expect(rules.brokenInvariant(state) == nil)
    }

    @Test func stepDoesNothingOnceTheMatchIsOver() throws {
        let rules = try testRules(Self.corridor, matchTicks: 2)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.step(&state, [nil])
        #expect(rules.outcome(of: state) == nil)
        rules.step(&state, [nil])
        let finished = rules.checksum(of: state)
        rules.step(&state, [nil])
        #expect(state.tick == 2)
        #expect(rules.checksum(of: state) == finished)
    }

    @Test func seatsAtMostOnePlayerPerSpawnAndSpreadsThem() throws {
        let rules = try SnakeRules(config: .standard())
        #expect(throws: GameSetupError.self) { try rules.initialState(players: testPlayers(9), seed: 1) }
        let state = try rules.initialState(players: testPlayers(2), seed: 1)
        let spawns = rules.config.map.spawns
        #expect(rules.headPosition(0, in: state) == (spawns[0].x, spawns[0].y))
        #expect(rules.headPosition(1, in: state) == (spawns[4].x, spawns[4].y))
    }
}
