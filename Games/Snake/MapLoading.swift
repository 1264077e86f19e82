#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import MeshplayCore

/// Why a map could not be loaded by name or path.
public enum MapLoadError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Neither a built-in map name nor an existing file.
    case notFound(String)
    /// The file exists but could not be read as UTF-8 text of a sane size.
    case unreadable(path: String, reason: String)
    /// The file was read but is not a valid map.
    case invalid(MapParseError)

    public var description: String {
        switch self {
        case .notFound(let name):
            "no map \"\(name)\": not a built-in map (\(SnakeMap.builtinNames.joined(separator: ", "))) and no such file"
        case .unreadable(let path, let reason): "cannot read map file \(path): \(reason)"
        case .invalid(let error): error.description
        }
    }
}

extension SnakeMap {
    /// The built-in map names, in menu order: "open", "walled", "maze", "arena16".
    public static var builtinNames: [String] { BuiltinMaps.all.map(\.name) }

    /// The built-in map called `name`, or nil.
    public static func builtin(_ name: String) -> SnakeMap? {
        guard let entry = BuiltinMaps.all.first(where: { $0.name == name }) else { return nil }
        do {
            return try MapParser.parse(entry.text, file: "maps/\(entry.name).map")
        } catch {
            // The built-in texts are checked by tests; a failure here is a build defect.
            preconditionFailure("built-in map \(name) is invalid: \(error)")
        }
    }

    /// The standard map for most games ("open").
    public static var standard: SnakeMap { builtin("open")! }

    /// A built-in map by name (such as "maze"), else the map file at `nameOrPath`.
    /// Built-in names win, so a stray file called `open` in the working folder
    /// does not change what "open" means.
    public static func load(nameOrPath: String) throws(MapLoadError) -> SnakeMap {
        if let map = builtin(nameOrPath) { return map }
        return try load(path: nameOrPath)
    }

    /// The map file at `path`.
    public static func load(path: String) throws(MapLoadError) -> SnakeMap {
        let text = try readMapText(path)
        do {
            return try MapParser.parse(text, file: path)
        } catch {
            throw .invalid(error)
        }
    }

    private static func readMapText(_ path: String) throws(MapLoadError) -> String {
        guard FileManager.default.fileExists(atPath: path) else { throw .notFound(path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadable(path: path, reason: "\(error)")
        }
        guard data.count <= MapParser.maxTextBytes else {
            throw .unreadable(path: path, reason: "larger than \(MapParser.maxTextBytes) bytes")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw .unreadable(path: path, reason: "not UTF-8 text")
        }
        return text
    }
}
