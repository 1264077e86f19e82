import Foundation
import MeshTransport

extension Attack {
    /// Row 9: a second host opens a room of the same name.
    static let impostor = Attack(
        name: "impostor",
        summary: "a second host creates a room with the same name; a joiner by name, then by id"
    ) { context in
        let real = try RoomHost(context, room: "duo", players: 2, name: "realhost")
        defer { real.target.stop() }
        let impostor = try RoomHost(context, room: "duo", players: 2, name: "impostor")
        defer { impostor.target.stop() }
        let joiner = try context.start("byname", [
            "bot", "--name", "byname", "--room", "duo", "--peer", "127.0.0.1:\(real.port)", "--peer", "127.0.0.1:\(impostor.port)",
            "--join-timeout", "15",
        ])
        let code = joiner.wait(seconds: 30)
        let said = joiner.standardError
        let ids = said.components(separatedBy: "duo#").dropFirst().compactMap { part -> String? in
            let id = String(part.prefix(8))
            return id.count == 8 && id.allSatisfy({ $0.isLetter || $0.isNumber }) ? id : nil
        }
        let distinct = Array(Set(ids)).sorted()
        let refused = code != 0 && !said.contains("in room") && distinct.count == 2
        var rows = [Row(
            attack: "a second host creates a room with the same name (join by name)",
            measured: refused ? "refused (exit \(code.map(String.init) ?? "killed")) naming both rooms: duo#\(distinct[0]), duo#\(distinct[1])"
                : "exit \(code.map(String.init) ?? "killed"), ids seen \(distinct): \(said.suffix(200))",
            holds: refused)]
        guard refused else { return rows }
        // Joining by id reaches exactly that room: its host's match starts, the other's does not.
        let chosen = try context.start("byid", [
            "bot", "--name", "byid", "--room", "duo#\(distinct[0])", "--peer", "127.0.0.1:\(real.port)", "--peer", "127.0.0.1:\(impostor.port)",
            "--join-timeout", "15",
        ])
        defer { chosen.stop() }
        let joined = chosen.waitForError(containing: "in room", seconds: 20)
        let started = [real, impostor].map { $0.target.waitForError(containing: "game 1 started", seconds: 10) }
        rows.append(Row(
            attack: "a second host creates a room with the same name (join by id)",
            // Either host may hold the id sorted first: what matters is that only one match started.
            measured: "--room duo#\(distinct[0]): joined \(joined ? "yes" : "no"); matches started: the first host's \(started[0]), the second host's \(started[1])"
                + (started.filter { $0 }.count == 1 ? " (so duo#\(distinct[0]) was the \(started[0] ? "first" : "second") host's room, and only it played)" : ""),
            holds: joined && started.filter { $0 }.count == 1))
        return rows
    }
}
