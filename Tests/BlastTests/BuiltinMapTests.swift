import Foundation
import MeshplayCore
import Testing
@testable import Blast

@Suite("Built-in maps")
struct BuiltinMapTests {
    /// The repository's Assets/maps folder, found from this file's path.
    static var assetsFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // BlastTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("Assets/maps")
    }

    static func mapFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: assetsFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "blast" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func everyMapFileIsEmbeddedByteForByte() throws {
        let files = try Self.mapFiles()
        #expect(files.count == BlastBuiltinMaps.all.count)
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            let onDisk = try Data(contentsOf: file)
            let embedded = BlastBuiltinMaps.all.first { $0.name == name }
            #expect(embedded != nil, "Assets/maps/\(name).blast is not embedded in BlastBuiltinMaps.swift")
            if let embedded {
                #expect(Array(embedded.text.utf8) == Array(onDisk), "embedded \(name) differs from Assets/maps/\(name).blast")
            }
        }
    }

    @Test func everyEmbeddedMapHasAFile() throws {
        let names = try Self.mapFiles().map { $0.deletingPathExtension().lastPathComponent }
        for name in BlastMap.builtinNames { #expect(names.contains(name), "no Assets/maps/\(name).blast") }
    }

    @Test func standardMapsHaveTheRequiredShape() throws {
        #expect(BlastMap.builtinNames == ["yard", "plaza", "stadium"])
        let yard = try #require(BlastMap.builtin("yard"))
        #expect(BlastMap.standard == yard)
        #expect(yard.spawns.count == 4)
        let plaza = try #require(BlastMap.builtin("plaza"))
        #expect(plaza.spawns.count == 8)
        for map in [yard, plaza] {
            #expect(map.width <= 52 && map.height <= 20, "\(map.name) must fit an 80x24 terminal beside a scoreboard")
        }
        let stadium = try #require(BlastMap.builtin("stadium"))
        #expect(stadium.spawns.count == 16)
        #expect(try BlastRules(config: .standard(map: stadium)).maxPlayers == 16)
        for map in [yard, plaza, stadium] {
            #expect(map.crateCount > 50, "\(map.name) has crates to break")
        }
    }

    /// Every spawn can bomb its first crates and get away: with the standard range, a bomb
    /// dropped on the spawn leaves a cell outside its cross within three steps.
    @Test(arguments: ["yard", "plaza", "stadium"])
    func everySpawnHasRoomToEscapeItsFirstBomb(_ name: String) throws {
        let map = try #require(BlastMap.builtin(name))
        let range = BlastConfig.standard(map: map).startRange
        for (index, spawn) in map.spawns.enumerated() {
            func inCross(_ x: Int, _ y: Int) -> Bool {
                (x == spawn.x && abs(y - spawn.y) <= range) || (y == spawn.y && abs(x - spawn.x) <= range)
            }
            var frontier = [spawn]
            var seen: Set<BlastPoint> = [spawn]
            var escaped = false
            for _ in 0 ..< 3 where !escaped {
                var next: [BlastPoint] = []
                for cell in frontier {
                    for direction in BlastDirection.allCases {
                        let p = BlastPoint(x: cell.x + direction.dx, y: cell.y + direction.dy)
                        guard map.tile(x: p.x, y: p.y) == .floor, seen.insert(p).inserted else { continue }
                        if !inCross(p.x, p.y) { escaped = true }
                        next.append(p)
                    }
                }
                frontier = next
            }
            #expect(escaped, "spawn \(index + 1) of \(name) is a trap")
        }
    }

    @Test func theSmallestMapThatSeatsThePlayersIsPicked() throws {
        #expect(BlastMap.builtin(seating: 1)?.name == "Yard")
        #expect(BlastMap.builtin(seating: 2)?.name == "Yard")
        #expect(BlastMap.builtin(seating: 4)?.name == "Yard")
        #expect(BlastMap.builtin(seating: 5)?.name == "Plaza")
        #expect(BlastMap.builtin(seating: 8)?.name == "Plaza")
        #expect(BlastMap.builtin(seating: 9)?.name == "Stadium")
        #expect(BlastMap.builtin(seating: 16)?.name == "Stadium")
        #expect(BlastMap.builtin(seating: 17) == nil)
    }

    @Test func loadsByNameOrPath() throws {
        #expect(try BlastMap.load(nameOrPath: "plaza").name == "Plaza")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("blast-map-test-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let good = folder.appendingPathComponent("ring.blast")
        try Data("#####\n#1.2#\n#####\n".utf8).write(to: good)
        #expect(try BlastMap.load(nameOrPath: good.path).name == "ring")

        let bad = folder.appendingPathComponent("bad.blast")
        try Data("#####\n#1x.#\n#####\n".utf8).write(to: bad)
        #expect(throws: BlastMapLoadError.invalid(MapParseError(file: bad.path, line: 2, column: 3, reason: "unknown character 'x'"))) {
            try BlastMap.load(nameOrPath: bad.path)
        }
        let missing = folder.appendingPathComponent("nowhere.blast").path
        #expect(throws: BlastMapLoadError.notFound(missing)) { try BlastMap.load(nameOrPath: missing) }

        let binary = folder.appendingPathComponent("binary.blast")
        try Data([0x23, 0xFF, 0xFE, 0x0A]).write(to: binary)
        #expect(throws: BlastMapLoadError.unreadable(path: binary.path, reason: "not UTF-8 text")) {
            try BlastMap.load(nameOrPath: binary.path)
        }
    }
}
