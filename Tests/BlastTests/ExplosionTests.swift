import MeshplayCore
import Testing
@testable import Blast

@Suite("Bombs, blasts and chains")
struct ExplosionTests {
    /// An open 9x7 room with one spawn in the middle and one in a corner.
    static let room = """
        #########
        #2......#
        #.......#
        #...1...#
        #.......#
        #.......#
        #########
        """

    @Test func bombExplodesAfterItsFuseInACrossOfItsRange() throws {
        let rules = try testRules(Self.room, fuseTicks: 5, flameTicks: 2, startRange: 2)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.step(&state, bomb)  // tick 0: dropped on 4,3
        rules.teleport(0, to: point(1, 5), in: &state)
        rules.wait(&state, ticks: 4)
        #expect(state.bombCount == 1, "still ticking after 4 more ticks")
        rules.wait(&state, ticks: 1)  // tick 5: fuse over
        #expect(state.bombCount == 0)
        var burning: [BlastPoint] = []
        for y in 0 ..< 7 { for x in 0 ..< 9 where rules.isBurning(point(x, y), in: state) { burning.append(point(x, y)) } }
        #expect(Set(burning) == Set([point(4, 3), point(4, 2), point(4, 1), point(5, 3), point(6, 3),
                                     point(4, 4), point(4, 5), point(3, 3), point(2, 3)]))
        rules.wait(&state, ticks: 1)
        #expect(rules.isBurning(point(4, 3), in: state), "flames last flameTicks ticks")
        rules.wait(&state, ticks: 1)
        #expect(!rules.isBurning(point(4, 3), in: state))
        #expect(state.flameCells.isEmpty)
        #expect(rules.brokenInvariant(state) == nil)
    }

    @Test func blastsStopAtWallsAndAtTheFirstCrate() throws {
        let rules = try testRules("""
            #########
            #1.%%..2#
            #.#.#.#.#
            #.......#
            #########
            """, fuseTicks: 1, flameTicks: 3, startRange: 5)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.step(&state, bomb)  // tick 0: dropped on 1,1
        rules.teleport(0, to: point(5, 3), in: &state)
        rules.step(&state)  // tick 1: it explodes
        // Rightwards: 2,1 and the first crate at 3,1, not the crate behind it.
        #expect(rules.isBurning(point(2, 1), in: state) && rules.isBurning(point(3, 1), in: state))
        #expect(!rules.isBurning(point(4, 1), in: state))
        #expect(rules.terrain(point(4, 1), state) == Terrain.crate)
        // Downwards to the border; upwards and leftwards the border stops it at once.
        #expect(rules.isBurning(point(1, 2), in: state) && rules.isBurning(point(1, 3), in: state))
        #expect(!rules.isBurning(point(0, 1), in: state) && !rules.isBurning(point(1, 0), in: state))
        // The crate burns for the flame time, blocking, then opens.
        rules.wait(&state, ticks: 2)
        #expect(Terrain.isCrate(rules.terrain(point(3, 1), state)), "a burning crate still blocks")
        rules.wait(&state, ticks: 1)
        #expect(rules.terrain(point(3, 1), state) == Terrain.floor)
        #expect(state.status(of: PlayerSlot(0)) == .alive)
    }

    @Test func aPlayerCaughtInItsOwnBlastDiesWithoutScoring() throws {
        let rules = try testRules("#######\n#1...2#\n#.#.#.#\n#######\n", fuseTicks: 1, flameTicks: 2, startRange: 2)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        rules.step(&state, BlastInput.step(.down, bomb: true), idle)  // tick 0: drop on 1,1, step to 1,2
        rules.step(&state, down, idle)  // tick 1: the blast comes before the step: caught on 1,2
        #expect(state.status(of: PlayerSlot(0)) == .dead)
        #expect(state.kills(of: PlayerSlot(0)) == 0)
        #expect(state.players[0].killedBy == 0)
        #expect(rules.at(0, state) == point(1, 2))
        #expect(rules.outcome(of: state)?.winner == PlayerSlot(1))
    }

    @Test func openedCratesLeaveTheirPowerUpAndBlastsDestroyPowerUps() throws {
        let rules = try testRules("#######\n#1.%..#\n#######\n", fuseTicks: 1, flameTicks: 1, startRange: 3)
        var state = try rules.initialState(players: testPlayers(1), seed: 1)
        rules.setTerrain(Terrain.crate(hiding: .range), at: point(3, 1), in: &state)
        rules.step(&state, bomb)
        rules.teleport(0, to: point(5, 1), in: &state)
        rules.step(&state)  // explodes; the crate burns one tick
        rules.step(&state)
        #expect(rules.terrain(point(3, 1), state) == Terrain.item(.range))
        // A second blast reaching the power-up destroys it and stops there.
        rules.setTerrain(Terrain.item(.bomb), at: point(4, 1), in: &state)
        rules.teleport(0, to: point(1, 1), in: &state)
        rules.step(&state, bomb)
        rules.teleport(0, to: point(5, 1), in: &state)
        rules.step(&state)
        #expect(rules.terrain(point(3, 1), state) == Terrain.floor)
        #expect(rules.isBurning(point(3, 1), in: state))
        #expect(rules.terrain(point(4, 1), state) == Terrain.item(.bomb), "the ray stopped at the first power-up")
        #expect(state.status(of: PlayerSlot(0)) == .alive)
    }

    @Test func chainReactionsGoOffInTheSameTick() throws {
        let rules = try testRules("""
            ###########
            #1........#
            #.#.#.#.#.#
            #........2#
            ###########
            """, fuseTicks: 10, flameTicks: 2, startRange: 2, startBombs: 3)
        var state = try rules.initialState(players: testPlayers(2), seed: 1)
        // P1 drops at 1,1 (tick 0), 3,1 (tick 2) and 5,1 (tick 4), then leaves the row.
        rules.step(&state, BlastInput.step(.right, bomb: true))
        rules.step(&state, right)
        rules.step(&state, BlastInput.step(.right, bomb: true))
        rules.step(&state, right)
        rules.step(&state, BlastInput.step(.right, bomb: true))
        rules.step(&state, right)  // 7,1
        rules.step(&state, down)   // 7,2
        rules.step(&state, down)   // 7,3
        rules.wait(&state, ticks: 2)
        #expect(state.bombCount == 3)
        #expect(rules.at(0, state) == point(7, 3))
        // Tick 10: the first bomb's fuse ends; its blast reaches 3,1, whose blast reaches 5,1.
        rules.step(&state)
        #expect(state.tick == 11)
        #expect(state.bombCount == 0, "all three went off in one tick")
        #expect(rules.isBurning(point(7, 1), in: state), "the last bomb's blast reached 7,1")
        #expect(state.status(of: PlayerSlot(0)) == .alive)
        #expect(rules.brokenInvariant(state) == nil)
    }

    @Test func theFirstBlastToReachACellOwnsItsFire() throws {
        // P1's bomb at 2,1 goes off first and sets off P2's bomb at 4,1 in the same tick;
        // P3 standing on 3,1 is caught by P1's fire, so P1 scores.
        let rules = try testRules("#######\n#1.3.2#\n#.....#\n#######\n", fuseTicks: 3, flameTicks: 2, startRange: 2)
        var state = try rules.initialState(players: testPlayers(3), seed: 1)
        rules.step(&state, right, left, idle)  // P1 to 2,1; P2 to 4,1
        rules.step(&state, BlastInput.step(.down, bomb: true), idle, idle)  // P1's bomb on 2,1 goes off in tick 4
        rules.step(&state, left, BlastInput.step(.down, bomb: true), idle)  // P2's on 4,1 would in tick 5
        rules.step(&state, idle, right, idle)  // P1 on 1,2 and P2 on 5,2, out of both crosses
        rules.step(&state, idle, idle, idle)
        // Tick 4: P1's bomb explodes; its ray reaches 3,1 (P3) and 4,1 (P2's bomb), which goes off after.
        #expect(state.status(of: PlayerSlot(2)) == .dead)
        #expect(state.kills(of: PlayerSlot(0)) == 1)
        #expect(state.kills(of: PlayerSlot(1)) == 0)
        #expect(state.players[2].killedBy == 1)
        #expect(state.bombCount == 0, "P2's bomb went off with P1's")
        #expect(state.status(of: PlayerSlot(0)) == .alive && state.status(of: PlayerSlot(1)) == .alive)
    }
}
