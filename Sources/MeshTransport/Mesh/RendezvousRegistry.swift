import MeshplayCore

/// The rendezvous node's table (sans-I/O): which addresses registered which mesh name,
/// until when. Bounded: at most ``maxMeshes`` names and ``maxAddressesPerMesh`` addresses
/// per name (the oldest registration makes room); entries expire after ``lifetime``
/// unless renewed, so a node that stops registering disappears.
public struct RendezvousRegistry: Sendable {
    struct Registration: Sendable {
        var address: UDPAddress
        var expiresAt: Timestamp
    }

    struct Mesh: Sendable {
        var name: String
        var registrations: [Registration]
    }

    /// How long a registration lasts without renewal (default 30 s; clients renew every 10 s).
    public var lifetime: TimeSpan
    /// Mesh names held at most (default 1024).
    public var maxMeshes: Int
    /// Addresses held per mesh name at most (default 32).
    public var maxAddressesPerMesh: Int
    /// Meshes sorted by name.
    private var meshes: [Mesh] = []

    /// An empty registry.
    public init(lifetime: TimeSpan = .seconds(30), maxMeshes: Int = 1024, maxAddressesPerMesh: Int = 32) {
        self.lifetime = lifetime
        self.maxMeshes = maxMeshes
        self.maxAddressesPerMesh = maxAddressesPerMesh
    }

    /// Names currently held (after expiry at `now`).
    public var meshCount: Int { meshes.count }

    /// Records (or renews) `address` as a member of `meshName`.
    public mutating func register(meshName: String, address: UDPAddress, at now: Timestamp) {
        expire(at: now)
        let expiresAt = now + lifetime
        let index: Int
        if let found = meshes.firstIndex(where: { $0.name == meshName }) {
            index = found
        } else {
            guard meshes.count < maxMeshes else { return }
            index = meshes.firstIndex { $0.name > meshName } ?? meshes.count
            meshes.insert(Mesh(name: meshName, registrations: []), at: index)
        }
        meshes[index].registrations.removeAll { $0.address == address }
        if meshes[index].registrations.count >= maxAddressesPerMesh { meshes[index].registrations.removeFirst() }
        // Newest last, so the oldest is the first to make room.
        meshes[index].registrations.append(Registration(address: address, expiresAt: expiresAt))
    }

    /// The live addresses of `meshName`, newest first.
    public mutating func resolve(meshName: String, at now: Timestamp) -> [UDPAddress] {
        expire(at: now)
        return meshes.first { $0.name == meshName }.map { $0.registrations.reversed().map(\.address) } ?? []
    }

    private mutating func expire(at now: Timestamp) {
        for index in meshes.indices { meshes[index].registrations.removeAll { $0.expiresAt <= now } }
        meshes.removeAll { $0.registrations.isEmpty }
    }
}
