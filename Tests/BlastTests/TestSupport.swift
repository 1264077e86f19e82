import MeshplayCore
@testable import Blast

/// Parses a map written inline in a test.
func testMap(_ text: String) throws -> BlastMap {
    try BlastMap.parse(text, file: "test.blast")
}

/// A config for a small test map: short fuses and flames, a step every tick, no power-ups,
/// so each test controls exactly what happens.
func testConfig(_ mapText: String, matchTicks: Int = 1_000, fuseTicks: Int = 5, flameTicks: Int = 2,
                startRange: Int = 2, maxRange: Int = 8, startBombs: Int = 1, maxBombs: Int = 8,
                moveTicks: Int = 1, maxSpeedUps: Int = 0, powerUpPercent: Int = 0) throws -> BlastConfig {
    BlastConfig(map: try testMap(mapText), matchTicks: matchTicks, fuseTicks: fuseTicks, flameTicks: flameTicks,
                startRange: startRange, maxRange: maxRange, startBombs: startBombs, maxBombs: maxBombs,
                moveTicks: moveTicks, maxSpeedUps: maxSpeedUps,
                powerUpPercent: powerUpPercent, rangeWeight: 1, bombWeight: 1, speedWeight: 1)
}

func testRules(_ mapText: String, matchTicks: Int = 1_000, fuseTicks: Int = 5, flameTicks: Int = 2,
               startRange: Int = 2, maxRange: Int = 8, startBombs: Int = 1, maxBombs: Int = 8,
               moveTicks: Int = 1, maxSpeedUps: Int = 0, powerUpPercent: Int = 0) throws -> BlastRules {
    try BlastRules(config: testConfig(mapText, matchTicks: matchTicks, fuseTicks: fuseTicks, flameTicks: flameTicks,
                                      startRange: startRange, maxRange: maxRange, startBombs: startBombs, maxBombs: maxBombs,
                                      moveTicks: moveTicks, maxSpeedUps: maxSpeedUps, powerUpPercent: powerUpPercent))
}

func testPlayers(_ count: Int) -> [PlayerInfo] {
    (0 ..< count).map { PlayerInfo(slot: PlayerSlot($0), name: "player\($0 + 1)") }
}

func point(_ x: Int, _ y: Int) -> BlastPoint { BlastPoint(x: x, y: y) }

/// Shorthands for inputs.
let up = BlastInput.step(.up)
let right = BlastInput.step(.right)
let down = BlastInput.step(.down)
let left = BlastInput.step(.left)
let bomb = BlastInput.bomb
let idle = PlayerInput.none

extension BlastRules {
    /// Steps once with `inputs` (missing slots play nothing).
    func step(_ state: inout BlastState, _ inputs: PlayerInput...) {
        step(&state, inputs: inputs)
    }

    /// Steps `ticks` times with no input.
    func wait(_ state: inout BlastState, ticks: Int) {
        for _ in 0 ..< ticks { step(&state, inputs: []) }
    }

    /// Slot `index`'s position.
    func at(_ index: Int, _ state: BlastState) -> BlastPoint { position(of: PlayerSlot(index), in: state) }

    /// The terrain code at map cell `p`.
    func terrain(_ p: BlastPoint, _ state: BlastState) -> UInt8 { state.terrain[board.cell(x: p.x, y: p.y)] }

    /// Puts `code` on map cell `p`.
    func setTerrain(_ code: UInt8, at p: BlastPoint, in state: inout BlastState) {
        state.terrain[board.cell(x: p.x, y: p.y)] = code
    }

    /// Moves slot `index` to `p` directly.
    func teleport(_ index: Int, to p: BlastPoint, in state: inout BlastState) {
        state.players[index].cell = board.cell(x: p.x, y: p.y)
    }

    /// Every consistency rule between the derived indexes and the state; the first broken one, or nil.
    func brokenInvariant(_ state: BlastState) -> String? {
        var bombsOf = [Int](repeating: 0, count: state.players.count)
        var expectedBombAt = [Bool](repeating: false, count: board.cellCount)
        for bomb in state.bombs {
            let cell = Int(bomb.cell)
            if expectedBombAt[cell] { return "two bombs on cell \(cell)" }
            expectedBombAt[cell] = true
            if !Terrain.isWalkable(state.terrain[cell]) || state.terrain[cell] != Terrain.floor { return "bomb on terrain \(state.terrain[cell])" }
            if bomb.fuse == 0 || Int(bomb.fuse) > config.fuseTicks { return "bomb fuse \(bomb.fuse)" }
            bombsOf[Int(bomb.owner)] += 1
        }
        if expectedBombAt != state.bombAt { return "bomb index differs from the bomb list" }
        var standing = 0
        var present = 0
        for (index, player) in state.players.enumerated() {
            if player.bombsOnBoard != bombsOf[index] { return "slot \(index) counts \(player.bombsOnBoard) bombs, has \(bombsOf[index])" }
            if player.bombsOnBoard > player.bombCapacity { return "slot \(index) is over its bomb capacity" }
            if player.status == .alive {
                standing += 1
                if !Terrain.isWalkable(state.terrain[player.cell]) { return "slot \(index) stands on terrain \(state.terrain[player.cell])" }
                if state.flame[player.cell] > 0 { return "slot \(index) stands in fire" }
                if Terrain.isItem(state.terrain[player.cell]) { return "slot \(index) stands on a power-up it did not take" }
            }
            if player.status != .left { present += 1 }
            if player.range > config.maxRange || player.bombCapacity > config.maxBombs || player.speedUps > config.maxSpeedUps {
                return "slot \(index) is past a power-up cap"
            }
        }
        if standing != state.standing || present != state.present { return "standing/present counts are off" }
        var burning = 0
        for cell in state.flame.indices where state.flame[cell] > 0 {
            burning += 1
            if state.flame[cell] > flameTicks { return "flame of \(state.flame[cell]) ticks" }
            if state.terrain[cell] == Terrain.wall { return "a wall burns" }
        }
        if burning != state.flameCells.count { return "burning cell list has \(state.flameCells.count), grid \(burning)" }
        for cell in state.flameCells where state.flame[Int(cell)] == 0 { return "listed cell \(cell) does not burn" }
        if state.terrain.contains(where: { $0 > Terrain.last }) { return "invalid terrain code" }
        return nil
    }
}

/// Plays `ticks` ticks with one bot per seat and returns the checksum after every tick.
func botGameChecksums(rules: BlastRules, skills: [BotSkill], seed: UInt64, ticks: Int) throws -> [StateChecksum] {
    var state = try rules.initialState(players: testPlayers(skills.count), seed: seed)
    var bots = skills.enumerated().map { BlastBot(rules: rules, slot: PlayerSlot($0.offset), seed: seed &+ UInt64($0.offset), skill: $0.element) }
    var checksums: [StateChecksum] = []
    var inputs = [PlayerInput](repeating: .none, count: skills.count)
    for _ in 0 ..< ticks {
        for index in bots.indices { inputs[index] = bots[index].nextInput(rules: rules, state: state) }
        rules.step(&state, inputs: inputs)
        checksums.append(rules.checksum(of: state))
    }
    return checksums
}
