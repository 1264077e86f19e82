import MeshTransport

/// The open mesh rooms live on (RoomProtocol.md): no mesh password, so links to a room's
/// host always come up and a wrong room password gets an explicit refusal.
public enum LobbyMesh {
    /// The mesh's name: what resolvers are asked for and LAN announcements carry.
    public static let name = "meshplay-lobby"
    /// What a room's host also registers under at a rendezvous node, and what a joiner by
    /// room name asks first: `meshplay-lobby/room/<room name>`, so a flood of the shared
    /// lobby name cannot hide a room joined by name.
    public static let roomNamePrefix = name + "/room/"

    /// The rendezvous name of the room called `room`: ``roomNamePrefix`` and the room's name,
    /// cut to the protocol's 64 UTF-8 bytes on a character boundary (room names are up to 48
    /// bytes, the prefix 20). Host and joiner cut the same way, so a long name still meets;
    /// two rooms whose names share the first 44 bytes share a rendezvous name, and the joiner
    /// tells them apart by their adverts, as on the lobby name.
    public static func rendezvousName(ofRoom room: String) -> String {
        var result = roomNamePrefix
        for character in room {
            guard result.utf8.count + character.utf8.count <= RendezvousMessage.maxNameBytes else { break }
            result.append(character)
        }
        return result
    }

    /// Its credentials (the handshake key follows from the name alone).
    public static var credentials: MeshCredentials { MeshCredentials(meshName: name) }
}
