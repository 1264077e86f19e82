import MeshplayCore
import Testing
@testable import Blast

@Suite("Config encoding")
struct ConfigCodingTests {
    static func decode(_ bytes: [UInt8]) throws -> BlastConfig {
        var reader = ByteReader(bytes)
        let config = try BlastConfig(from: &reader)
        try reader.expectEnd("config")
        return config
    }

    @Test(arguments: ["yard", "plaza", "stadium"])
    func roundTripsEveryStandardMap(_ name: String) throws {
        let config = BlastConfig.standard(map: try #require(BlastMap.builtin(name)), matchTicks: 1234)
        let bytes = config.canonicalBytes
        let decoded = try Self.decode(bytes)
        #expect(decoded == config)
        #expect(decoded.canonicalBytes == bytes)
        // Packed tiles keep the whole config small enough for a room's settings (2048 bytes).
        print("\(name): config is \(bytes.count) bytes")
        #expect(bytes.count < 1_000)
    }

    @Test func everySettingRoundTrips() throws {
        let config = BlastConfig(map: try testMap("%%%\n%1.\n...\n"), matchTicks: 10_000_000, fuseTicks: 1_000, flameTicks: 250,
                                 startRange: 20, maxRange: 20, startBombs: 16, maxBombs: 16, moveTicks: 60, maxSpeedUps: 59,
                                 powerUpPercent: 100, rangeWeight: 0, bombWeight: 100, speedWeight: 7)
        #expect(config.problem == nil)
        #expect(try Self.decode(config.canonicalBytes) == config)
    }

    @Test func theLargestMapFitsARoom() throws {
        let row = String(repeating: "%", count: 76)
        let text = "1." + String(repeating: "%", count: 74) + "\n" + Array(repeating: row, count: 39).joined(separator: "\n") + "\n"
        var config = BlastConfig.standard(map: try testMap(text), matchTicks: 10_000_000)
        config.fuseTicks = 1_000
        #expect(config.map.width == 76 && config.map.height == 40)
        #expect(config.canonicalBytes.count <= 2_048, "RoomSettings.maxConfigBytes")
        #expect(try Self.decode(config.canonicalBytes) == config)
    }

    @Test func everyTruncationIsRefused() throws {
        let bytes = BlastConfig.standard().canonicalBytes
        for length in 0 ..< bytes.count {
            #expect(throws: DecodingError.self) { try Self.decode(Array(bytes[..<length])) }
        }
    }

    /// Hand-built bytes: map "x", 3x3 all floor with spawn 1 at cell 4, then `settings`.
    static func bytes(tiles: [UInt8] = [0, 0, 0], spawns: [UInt8] = [1, 4], _ settings: [UInt8]) -> [UInt8] {
        [1, UInt8(ascii: "x"), 3, 3] + tiles + spawns + settings
    }

    static let settings: [UInt8] = [100, 5, 2, 2, 8, 1, 8, 5, 3, 45, 40, 35, 25]

    @Test func hostileBytesAreRefused() throws {
        #expect(try Self.decode(Self.bytes(Self.settings)).map.spawns == [point(1, 1)])
        var badWeights = Self.settings
        badWeights[10] = 0
        badWeights[11] = 0
        badWeights[12] = 0
        var capBelowStart = Self.settings
        capBelowStart[4] = 1
        var speedUpsTooMany = Self.settings
        speedUpsTooMany[8] = 5
        let hostile: [(String, [UInt8])] = [
            ("unknown tile", Self.bytes(tiles: [3, 0, 0], Self.settings)),
            ("unused tile bits set", Self.bytes(tiles: [0, 0, 4], Self.settings)),
            ("spawn outside", Self.bytes(spawns: [1, 9], Self.settings)),
            ("no spawns", Self.bytes(spawns: [0], Self.settings)),
            ("seventeen spawns", Self.bytes(spawns: [17], Self.settings)),
            ("spawn on a crate", Self.bytes(tiles: [0, 2, 0], Self.settings)),
            ("spawn boxed in", Self.bytes(tiles: [0b1000_1000, 0b1000_1000, 0], Self.settings)),
            ("zero fuse", Self.bytes([100, 0] + Self.settings.dropFirst(2))),
            ("all weights zero", Self.bytes(badWeights)),
            ("range cap below start", Self.bytes(capBelowStart)),
            ("speed-ups reach the interval", Self.bytes(speedUpsTooMany)),
            ("absurd match ticks", Self.bytes([0xFF, 0xFF, 0xFF, 0xFF, 0x0F] + Self.settings.dropFirst())),
            ("overlong varint", Self.bytes(spawns: [0x81, 0x00, 4], Self.settings)),
        ]
        for (what, bytes) in hostile {
            #expect(throws: DecodingError.self, "\(what)") { try Self.decode(bytes) }
        }
    }

    @Test func randomBytesNeverTrap() {
        var random = SeededRandom(seed: 77)
        let real = BlastConfig.standard().canonicalBytes
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
                #expect((try? BlastRules(config: config)) != nil)
            }
        }
    }

    @Test func unplayableConfigsAreRefusedByTheRules() throws {
        var config = BlastConfig.standard()
        config.matchTicks = 0
        #expect(throws: GameSetupError("blast: match length 0 is outside 1...10000000")) { try BlastRules(config: config) }
        config = .standard()
        config.maxSpeedUps = config.moveTicks
        #expect(throws: GameSetupError.self) { try BlastRules(config: config) }
        config = .standard()
        config.flameTicks = 251
        #expect(throws: GameSetupError.self) { try BlastRules(config: config) }
    }

    @Test func catalogRunsBlastFromConfigBytes() throws {
        var catalog = GameCatalog()
        catalog.register(BlastRules.self)
        #expect(catalog.identities == [GameIdentity(id: "blast", version: 1)])
        let config = BlastConfig.standard(map: BlastMap.builtin("plaza")!, matchTicks: 50)
        let game = try catalog.makeGame(BlastRules.identity, config: config.canonicalBytes, players: testPlayers(3), seed: 9)
        for _ in 0 ..< 50 { game.step(inputs: [.none, .none, .none]) }
        #expect(game.outcome?.reason == "time up")
        #expect(throws: GameSetupError.self) {
            try catalog.makeGame(BlastRules.identity, config: config.canonicalBytes + [0], players: testPlayers(3), seed: 9)
        }
        #expect(throws: GameSetupError.self) {
            try catalog.makeGame(BlastRules.identity, config: config.canonicalBytes, players: testPlayers(9), seed: 9)
        }
    }
}
