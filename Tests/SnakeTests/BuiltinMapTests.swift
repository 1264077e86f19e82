import Foundation
import MeshplayCore
import Testing
@testable import Snake

@Suite("Built-in maps")
struct BuiltinMapTests {
    /// The repository's Assets/maps folder, found from this file's path.
    static var assetsFolder: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // SnakeTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // repository root
            .appendingPathComponent("Assets/maps")
    }

    static func mapFiles() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: assetsFolder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "map" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func everyMapFileIsEmbeddedByteForByte() throws {
        let files = try Self.mapFiles()
        #expect(files.count == BuiltinMaps.all.count)
        for file in files {
            let name = file.deletingPathExtension().lastPathComponent
            let onDisk = try Data(contentsOf: file)
            let embedded = BuiltinMaps.all.first { $0.name == name }
            #expect(embedded != nil, "Assets/maps/\(name).map is not embedded in BuiltinMaps.swift")
            if let embedded {
                #expect(Array(embedded.text.utf8) == Array(onDisk), "embedded \(name) differs from Assets/maps/\(name).map")
            }
        }
    }

    @Test func everyEmbeddedMapHasAFile() throws {
        let names = try Self.mapFiles().map { $0.deletingPathExtension().lastPathComponent }
        for name in SnakeMap.builtinNames { #expect(names.contains(name), "no Assets/maps/\(name).map") }
    }

    @Test func standardMapsHaveTheRequiredShape() throws {
        #expect(SnakeMap.builtinNames == ["open", "walled", "maze", "arena16"])
        for name in ["open", "walled", "maze"] {
            let map = try #require(SnakeMap.builtin(name))
            #expect(map.width <= 52 && map.height <= 20, "\(name) must fit an 80x24 terminal")
            #expect(map.spawns.count >= 8)
            #expect(try SnakeRules(config: .standard(map: map)).maxPlayers == 8)
        }
        let arena = try #require(SnakeMap.builtin("arena16"))
        #expect(arena.width <= 76 && arena.height <= 40)
        #expect(arena.spawns.count >= 16)
        #expect(try SnakeRules(config: .standard(map: arena)).maxPlayers == 16)
        let open = try #require(SnakeMap.builtin("open"))
        let innerWalls = (1 ..< open.height - 1).contains { y in (1 ..< open.width - 1).contains { x in open.isWall(x: x, y: y) } }
        #expect(!innerWalls, "open has no inner walls")
    }

    @Test func loadsByNameOrPath() throws {
        #expect(try SnakeMap.load(nameOrPath: "maze").name == "Maze")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("snake-map-test-\(getpid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let good = folder.appendingPathComponent("ring.map")
        try Data("#####\n#>..#\n#####\n".utf8).write(to: good)
        #expect(try SnakeMap.load(nameOrPath: good.path).name == "ring")

        let bad = folder.appendingPathComponent("bad.map")
        try Data("#####\n#>x.#\n#####\n".utf8).write(to: bad)
        #expect(throws: MapLoadError.invalid(MapParseError(file: bad.path, line: 2, column: 3, reason: "unknown character 'x'"))) {
            try SnakeMap.load(nameOrPath: bad.path)
        }

        let missing = folder.appendingPathComponent("nowhere.map").path
        #expect(throws: MapLoadError.notFound(missing)) { try SnakeMap.load(nameOrPath: missing) }

        let binary = folder.appendingPathComponent("binary.map")
        try Data([0x23, 0xFF, 0xFE, 0x0A]).write(to: binary)
        #expect(throws: MapLoadError.unreadable(path: binary.path, reason: "not UTF-8 text")) {
            try SnakeMap.load(nameOrPath: binary.path)
        }
    }
}
