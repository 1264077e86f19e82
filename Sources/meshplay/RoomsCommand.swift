import ArgumentParser
import Foundation
import MeshTransport
import MeshTransportNIO
import MeshplayCore
import Netplay
import NetplayNIO

/// `meshplay rooms`: the lobby's room list, once, for a person at a shell or a script.
///
/// One round of what `meshplay play`'s lobby does: the places are asked (each resolver with an
/// introduction of the probe's socket, so hosts behind NATs punch toward it), and every address
/// heard is asked over the sealed lobby mesh for its room and round trip.
struct RoomsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rooms",
        abstract: "List the rooms a lobby would show: name, game, players, ping and how the link ran.",
        discussion: """
        PATH is how the probe's link to the room ran: direct, or punched (the host opened its NAT
        toward the probe when the resolver introduced it). "none" is a room no path reached from
        here (a symmetric NAT between), listed from what its host attached at the resolver: a join
        goes through the resolver's relay when it runs one (`meshplay resolver --relay`). A bare
        address with "?" is a member that attached nothing.

        Exit status: 0 when at least one place answered (with or without rooms); 2 when none did.

        Examples:
          meshplay rooms --resolver 203.0.113.1:47000
          meshplay rooms --lan --json
        """)

    @OptionGroup var find: MeshFindOptions

    @Flag(help: "Print one JSON object: rooms and what each place answered.")
    var json = false

    func validate() throws {
        if find.peers.isEmpty, find.resolvers.isEmpty, !find.lan {
            throw ValidationError("nowhere to look: give --resolver HOST:PORT, --peer HOST:PORT or --lan")
        }
    }

    func run() async throws {
        let places: RoomPlaces
        do {
            places = RoomPlaces(lan: find.lan, resolvers: try find.resolvers.map { try HostPort(parsing: $0) },
                                peers: try find.peers.map { try HostPort(parsing: $0) })
        } catch {
            throw ValidationError("\(error)")
        }
        let directory = await UDPRoomSearch.once(places)
        print(json ? Self.json(directory) : Self.table(directory))
        let answered = directory.sources.contains { source in
            switch source.outcome {
            case .rooms, .members: true
            case .looking, .unreachable, .failed: false
            }
        }
        if !answered { throw ExitCode(2) }
    }

    /// The rows as columns, then one line per place (every text was made terminal-safe by ``RoomListing``).
    static func table(_ directory: RoomDirectory) -> String {
        var lines = [columns(["ROOM", "ID", "GAME", "MAP", "PLAYERS", "PING", "PATH", "LOCK", "STATE", "ADDRESS", "FOUND AT"])]
        for room in directory.rooms {
            lines.append(columns([
                room.name ?? "?", room.roomID?.text ?? "?", room.game ?? "?", room.map ?? "?",
                "\(room.players.map(String.init) ?? "?")/\(room.capacity.map(String.init) ?? "?")",
                room.pingMilliseconds.map { "\($0) ms" } ?? "?", room.path?.label ?? (room.isReached ? "?" : "none"),
                room.locked.map { $0 ? "yes" : "no" } ?? "?", room.running ? "in game" : "open",
                room.address, room.source,
            ]))
        }
        if directory.rooms.isEmpty { lines.append("(no rooms)") }
        lines += directory.sources.map(\.text)
        return lines.joined(separator: "\n")
    }

    private static let widths = [20, 9, 7, 14, 8, 8, 8, 5, 8, 22, 0]

    private static func columns(_ cells: [String]) -> String {
        zip(cells, widths).map { cell, width in
            width == 0 || cell.count >= width ? cell + " " : cell + String(repeating: " ", count: width - cell.count)
        }.joined().trimmingCharacters(in: .whitespaces)
    }

    /// `{"rooms": [...], "places": [...]}`; unknown values are null.
    static func json(_ directory: RoomDirectory) -> String {
        let rooms = directory.rooms.map { room in
            var object = JSONText()
            object.field("name", string: room.name)
            object.field("id", string: room.roomID?.text)
            object.field("game", string: room.game)
            object.field("map", string: room.map)
            object.field("players", int: room.players)
            object.field("capacity", int: room.capacity)
            object.field("pingMs", int: room.pingMilliseconds)
            object.field("path", string: room.path?.label)
            object.field("reached", bool: room.isReached)
            object.field("locked", room.locked.map { $0 ? "true" : "false" } ?? "null")
            object.field("running", bool: room.running)
            object.field("address", string: room.address)
            object.field("source", string: room.source)
            return object.object
        }
        let places = directory.sources.map { source in
            var object = JSONText()
            object.field("place", string: source.label)
            object.field("answer", string: source.text)
            return object.object
        }
        var top = JSONText()
        top.field("rooms", JSONText.array(rooms))
        top.field("places", JSONText.array(places))
        return top.object
    }
}
