import MeshplayCore
import Testing
@testable import Snake

@Suite("Config encoding")
struct ConfigCodingTests {
    static func decode(_ bytes: [UInt8]) throws -> SnakeConfig {
        var reader = ByteReader(bytes)
        let config = try SnakeConfig(from: &reader)
        try reader.expectEnd("config")
        return config
    }

    @Test(arguments: ["open", "walled", "maze", "arena16"])
    func roundTripsEveryStandardMap(_ name: String) throws {
        let config = SnakeConfig.standard(map: try #require(SnakeMap.builtin(name)), matchTicks: 1234)
        let bytes = config.canonicalBytes
        let decoded = try Self.decode(bytes)
        #expect(decoded == config)
        #expect(decoded.canonicalBytes == bytes)
        // The run-length walls keep the whole map small enough for a room announcement.
        #expect(bytes.count < 400)
    }

    @Test func mapStartingWithFloorOrWallRoundTrips() throws {
        let borderless = try testMap("...\n.>.\n...\n")
        let config = SnakeConfig.standard(map: borderless)
        #expect(try Self.decode(config.canonicalBytes) == config)
    }

    @Test func everyTruncationIsRefused() throws {
        let bytes = SnakeConfig.standard(map: .standard).canonicalBytes
        for length in 0 ..< bytes.count {
            #expect(throws: DecodingError.self) { try Self.decode(Array(bytes[..<length])) }
        }
    }

    /// Hand-built bytes: name "x", then `rest`.
    static func bytes(width: UInt8, height: UInt8, _ rest: [UInt8]) -> [UInt8] {
        [1, UInt8(ascii: "x"), width, height] + rest
    }

    static let settings: [UInt8] = [100, 3, 1, 1, 0, 0]

    @Test func hostileBytesAreRefused() throws {
        // A valid 3x3 all-floor map with one spawn at cell 4 heading up, to mutate.
        let valid = Self.bytes(width: 3, height: 3, [9, 1, 4, 1] + Self.settings)
        #expect(try Self.decode(valid).map.spawns == [SpawnPoint(x: 1, y: 1, direction: .up)])

        let hostile: [(String, [UInt8])] = [
            ("huge width", [1, 0x78] + [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 3] + [9, 1, 4, 1] + Self.settings),
            ("width 77", Self.bytes(width: 77, height: 3, [0xE7, 0x01, 1, 4, 1] + Self.settings)),
            ("height 0", Self.bytes(width: 3, height: 0, [1, 4, 1] + Self.settings)),
            ("runs past the grid", Self.bytes(width: 3, height: 3, [10, 1, 4, 1] + Self.settings)),
            ("empty run after the first", Self.bytes(width: 3, height: 3, [4, 0, 5, 1, 4, 1] + Self.settings)),
            ("spawn outside the grid", Self.bytes(width: 3, height: 3, [9, 1, 9, 1] + Self.settings)),
            ("bad direction", Self.bytes(width: 3, height: 3, [9, 1, 4, 5] + Self.settings)),
            ("spawn on a wall", Self.bytes(width: 3, height: 3, [4, 1, 4, 1, 4, 1] + Self.settings)),
            ("too many spawns", Self.bytes(width: 3, height: 3, [9, 65] + Self.settings)),
            ("no spawns", Self.bytes(width: 3, height: 3, [9, 0] + Self.settings)),
            ("zero match ticks", Self.bytes(width: 3, height: 3, [9, 1, 4, 1, 0, 3, 1, 1, 0, 0])),
            ("absurd match ticks", Self.bytes(width: 3, height: 3, [9, 1, 4, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 3, 1, 1, 0, 0])),
            ("zero respawn delay", Self.bytes(width: 3, height: 3, [9, 1, 4, 1, 100, 0, 1, 1, 0, 0])),
            ("food filling the map", Self.bytes(width: 3, height: 3, [9, 1, 4, 1, 100, 3, 9, 1, 0, 0])),
            ("overlong varint", Self.bytes(width: 3, height: 3, [0x89, 0x00, 1, 4, 1] + Self.settings)),
        ]
        for (what, bytes) in hostile {
            #expect(throws: DecodingError.self, "\(what)") { try Self.decode(bytes) }
        }
    }

    @Test func randomBytesNeverTrap() {
        // Seeded noise and mutations of a real config: decoding must throw or give a valid config.
        var random = SeededRandom(seed: 77)
        let real = SnakeConfig.standard(map: SnakeMap.builtin("maze")!).canonicalBytes
        for round in 0 ..< 3_000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = (0 ..< random.nextIndex(below: 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            } else {
                bytes = real
                for _ in 0 ..< 1 + random.nextIndex(below: 4) {
                    bytes[random.nextIndex(below: bytes.count)] = UInt8(truncatingIfNeeded: random.next())
                }
            }
            if let config = try? Self.decode(bytes) {
                #expect(config.problem == nil)
                #expect((try? SnakeRules(config: config)) != nil)
            }
        }
    }

    @Test func unplayableConfigsAreRefusedByTheRules() throws {
        var config = SnakeConfig.standard()
        config.matchTicks = 0
        #expect(throws: GameSetupError.self) { try SnakeRules(config: config) }
        config = SnakeConfig.standard()
        config.respawnDelay = 0
        #expect(throws: GameSetupError.self) { try SnakeRules(config: config) }
        config = .standard(map: try testMap("#####\n#>..#\n#####\n"))
        config.foodCount = 3
        #expect(throws: GameSetupError("snake: map test has 3 floor cells, too few for 3 food and 1 spawns")) {
            try SnakeRules(config: config)
        }
    }

    @Test func catalogRunsSnakeFromConfigBytes() throws {
        var catalog = GameCatalog()
        catalog.register(SnakeRules.self)
        #expect(catalog.identities == [GameIdentity(id: "snake", version: 1)])
        let config = SnakeConfig.standard(map: SnakeMap.builtin("walled")!, matchTicks: 50)
        let game = try catalog.makeGame(SnakeRules.identity, config: config.canonicalBytes, players: testPlayers(3), seed: 9)
        for _ in 0 ..< 50 { game.step(inputs: [.none, .none, .none]) }
        #expect(game.outcome?.reason == "time up")
        #expect(throws: GameSetupError.self) {
            try catalog.makeGame(SnakeRules.identity, config: config.canonicalBytes + [0], players: testPlayers(3), seed: 9)
        }
        #expect(throws: GameSetupError.self) {
            try catalog.makeGame(SnakeRules.identity, config: config.canonicalBytes, players: testPlayers(9), seed: 9)
        }
    }
}
