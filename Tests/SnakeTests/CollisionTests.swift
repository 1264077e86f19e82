import MeshplayCore
import Testing
@testable import Snake

@Suite("Collisions")
struct CollisionTests {
    @Test func twoHeadsIntoOneCellBothDieWithoutKills() throws {
        let rules = try testRules("#######\n#>...<#\n#######\n")
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.step(&state, [nil, nil])
        #expect(rules.headPosition(0, in: state) == (2, 1) && rules.headPosition(1, in: state) == (4, 1))
        rules.step(&state, [nil, nil])  // both enter (3, 1)
        for index in 0 ..< 2 {
            #expect(state.snakes[index].status == .respawning)
            #expect(state.snakes[index].deaths == 1)
            #expect(state.snakes[index].kills == 0)
        }
        #expect(rules.brokenInvariant(state) == nil)
    }

    @Test func twoHeadsSwappingCellsBothDie() throws {
        // One-cell snakes leave their cells empty as they move, so only the swap rule catches this.
        let rules = try testRules("######\n#.><.#\n######\n")
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.step(&state, [nil, nil])
        #expect(state.snakes.map(\.status) == [.respawning, .respawning])
        #expect(state.snakes.map(\.kills) == [0, 0])
    }

    @Test func threeHeadsIntoOneCellAllDie() throws {
        let rules = try testRules("#####\n##v##\n#>.<#\n#####\n")
        var state = try rules.initialState(players: testPlayers(3), seed: 5)
        // The centre is the only free cell, so the food is there.
        #expect(rules.food(in: state).map { [$0.x, $0.y] } == [[2, 2]])
        rules.step(&state, [nil, nil, nil])
        #expect(state.snakes.map(\.status) == [.respawning, .respawning, .respawning])
        #expect(state.snakes.map(\.foodEaten) == [0, 0, 0])
        #expect(state.snakes.map(\.kills) == [0, 0, 0])
    }

    @Test func runningIntoABodyKillsAndCreditsItsOwner() throws {
        let rules = try testRules("#######\n#>....#\n#.....#\n#.....#\n#....<#\n#######\n", killBonus: 3)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.placeFood([(5, 1)], in: &state)
        rules.placeSnake(1, [(3, 1), (3, 2), (3, 3)], heading: .down, pendingGrowth: 5, in: &state)
        rules.placeSnake(0, [(2, 2)], heading: .right, in: &state)
        rules.step(&state, [nil, nil])
        #expect(state.snakes[0].status == .respawning)
        #expect(state.snakes[1].status == .alive)
        #expect(state.snakes[1].kills == 1)
        #expect(rules.score(of: PlayerSlot(1), in: state) == 3)
        #expect(rules.brokenInvariant(state) == nil)
    }

    @Test func runningIntoOwnBodyKillsWithoutCredit() throws {
        let rules = try testRules("######\n#>...#\n#....#\n######\n")
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.placeFood([(4, 2)], in: &state)
        rules.placeSnake(0, [(1, 1), (2, 1), (3, 1), (3, 2), (2, 2)], heading: .left, in: &state)
        rules.step(&state, [.up])
        #expect(state.snakes[0].status == .respawning)
        #expect(state.snakes[0].kills == 0)
    }

    @Test func wallKillsAndTheSnakeReturnsAfterTheDelay() throws {
        let rules = try testRules("#####\n#>..#\n#####\n", respawnDelay: 3)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.step(&state, [nil])
        rules.step(&state, [nil])
        #expect(state.snakes[0].status == .alive)
        rules.step(&state, [nil])  // (3, 1) -> wall
        #expect(state.snakes[0].status == .respawning)
        #expect(rules.statusWord(state.snakes[0]) == "respawn 3")
        rules.step(&state, [nil])
        #expect(rules.statusWord(state.snakes[0]) == "respawn 2")
        rules.step(&state, [nil])
        #expect(rules.statusWord(state.snakes[0]) == "respawn 1")
        rules.step(&state, [nil])
        #expect(state.snakes[0].status == .alive)
        #expect(rules.headPosition(0, in: state) == (1, 1))
        #expect(state.snakes[0].direction == .right)
    }

    @Test func headMayFollowItsOwnTailUnlessGrowing() throws {
        let rules = try testRules("#####\n#>..#\n#...#\n#####\n")
        let loop: [(x: Int, y: Int)] = [(1, 2), (1, 1), (2, 1), (2, 2)]
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.placeFood([(3, 1)], in: &state)
        rules.placeSnake(0, loop, heading: .down, in: &state)
        rules.step(&state, [.left])  // into the tail cell, which moves away this tick
        #expect(state.snakes[0].status == .alive)
        #expect(rules.headPosition(0, in: state) == (1, 2))
        #expect(state.snakes[0].length == 4)

        var growing = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.placeFood([(3, 1)], in: &growing)
        rules.placeSnake(0, loop, heading: .down, pendingGrowth: 1, in: &growing)
        rules.step(&growing, [.left])  // the tail stays while growing
        #expect(growing.snakes[0].status == .respawning)
    }

    @Test func headMayFollowAnotherSnakesTail() throws {
        let rules = try testRules("######\n#>...#\n#...<#\n######\n")
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.placeFood([(1, 2)], in: &state)
        rules.placeSnake(1, [(2, 1), (3, 1)], heading: .right, in: &state)
        rules.placeSnake(0, [(1, 1)], heading: .right, in: &state)
        rules.step(&state, [nil, nil])
        #expect(state.snakes.map(\.status) == [.alive, .alive])
        #expect(rules.headPosition(0, in: state) == (2, 1))
        #expect(rules.body(of: PlayerSlot(1), in: state).map { [$0.x, $0.y] } == [[3, 1], [4, 1]])
    }
}
