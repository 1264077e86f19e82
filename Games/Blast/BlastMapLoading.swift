#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MeshplayCore

/// Why a Blast map could not be loaded by name or path.
public enum BlastMapLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither a built-in map name nor an existing file.
    case notFound(String)
    /// The file exists but could not be read as UTF-8 text of a sane size.
    case unreadable(path: String, reason: String)
    /// The file was read but is not a valid map.
    case invalid(MapParseError)

    public var description: String {
        switch self {
        case .notFound(let name):
            "no blast map \"\(name)\": not a built-in map (\(BlastMap.builtinNames.joined(separator: ", "))) and no such file"
        case .unreadable(let path, let reason): "cannot read map file \(path): \(reason)"
        case .invalid(let error): error.description
        }
    }
}

extension BlastMap {
    /// The built-in map names, smallest first: "yard" (4 players), "plaza" (8), "stadium" (16).
    public static var builtinNames: [String] { BlastBuiltinMaps.all.map(\.name) }

    /// The built-in map called `name`, or nil.
    public static func builtin(_ name: String) -> BlastMap? {
        guard let entry = BlastBuiltinMaps.all.first(where: { $0.name == name }) else { return nil }
        do {
            return try BlastMapParser.parse(entry.text, file: "maps/\(entry.name).blast")
        } catch {
            // The built-in texts are checked by tests; a failure here is a build defect.
            preconditionFailure("built-in blast map \(name) is invalid: \(error)")
        }
    }

    /// The standard map for most games ("yard", 2 to 4 players).
    public static var standard: BlastMap { builtin("yard")! }

    /// The smallest built-in map that seats `players` players, or nil when none does (more than 16).
    public static func builtin(seating players: Int) -> BlastMap? {
        for entry in BlastBuiltinMaps.all {
            if let map = builtin(entry.name), map.spawns.count >= max(players, 1) { return map }
        }
        return nil
    }

    /// A built-in map by name (such as "plaza"), else the map file at `nameOrPath`.
    /// Built-in names win, so a stray file called `yard` does not change what "yard" means.
    public static func load(nameOrPath: String) throws(BlastMapLoadError) -> BlastMap {
        if let map = builtin(nameOrPath) { return map }
        return try load(path: nameOrPath)
    }

    /// The map file at `path`.
    public static func load(path: String) throws(BlastMapLoadError) -> BlastMap {
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        guard data.count <= BlastMapParser.maxTextBytes else {
            throw .unreadable(path: path, reason: "larger than \(BlastMapParser.maxTextBytes) bytes")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .unreadable(path: path, reason: "not UTF-8 text")
        }
        do {
            return try BlastMapParser.parse(text, file: path)
        } catch {
            throw .invalid(error)
        }
    }
}
