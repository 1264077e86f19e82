import MeshTransport

/// The open mesh rooms live on (RoomProtocol.md): no mesh password, so links to a room's
/// host always come up and a wrong room password gets an explicit refusal.
public enum LobbyMesh {
    /// The mesh's name: what resolvers are asked for and LAN announcements carry.
    public static let name = "meshplay-lobby"
    /// Its credentials (the handshake key follows from the name alone).
    public static var credentials: MeshCredentials { MeshCredentials(meshName: name) }
}
