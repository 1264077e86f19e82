import MeshplayCore

/// The rendezvous node's table (sans-I/O): which addresses registered which mesh name,
/// until when. Every bound says what happens at it:
/// - at most ``maxMeshes`` names: a register for a new name while the table is full is
///   refused (``Outcome/namesFull``); names already held keep working.
/// - at most ``maxPerSource`` registrations held per source (an IPv4 address, or an IPv6 /64
///   prefix, across all names): a new one from a source at its quota replaces that source's
///   own oldest registration, so a host can only ever push out itself.
/// - at most ``maxAddressesPerMesh`` addresses per name: a new one in a full name replaces
///   the oldest registration of the source holding the most entries in that name (the
///   newcomer's own source when it ties for most), so a flood from one host cannot push out others.
/// - at most ``RendezvousMessage/maxDetailsBytes`` of details per registration (so 8 MiB for a
///   table full at the default bounds: 1,024 names of 32 addresses).
/// Entries expire after ``lifetime`` unless renewed, so a node that stops registering disappears.
/// A renewal (the same address again in the same name) never counts against a bound.
public struct RendezvousRegistry: Sendable {
    /// What became of a registration.
    public enum Outcome: UInt8, Sendable, Equatable {
        /// Held (new or renewed) until `lifetime` from now.
        case stored = 0
        /// Refused: the table holds ``RendezvousRegistry/maxMeshes`` names and this is a new one.
        case namesFull = 1
    }

    struct Registration: Sendable {
        var address: UDPAddress
        var expiresAt: Timestamp
        /// Order of (re)registration, for "oldest" without relying on equal timestamps.
        var sequence: UInt64
        var source: [UInt8]
        /// ``sequence`` when the address was first stored under its name (renewals keep it).
        var firstStored: UInt64 = 0
        /// Where the register came from (the member's registering socket, which its NAT lets
        /// the node's datagrams reach) and its nonce: where and how a punch request goes.
        var via: UDPAddress? = nil
        var nonce: UInt64 = 0
        /// What the member attached (a room's signed advert), kept across renewals.
        var details: [UInt8] = []
        /// The member's LAN address behind its NAT (a private IPv4 address), kept across renewals.
        var local: UDPAddress?

        /// The address to hand `asker`: the LAN one to an asker from this member's own public
        /// IPv4 address (behind the same NAT, which may not loop datagrams back to itself), else the public one.
        func address(for asker: UDPAddress?) -> UDPAddress {
            guard let local, let asker, asker.family == .v4, asker.sourceHost == address.sourceHost else { return address }
            return local
        }
    }

    struct Mesh: Sendable {
        var name: String
        /// Oldest first.
        var registrations: [Registration]
    }

    /// How long a registration lasts without renewal (default 30 s; clients renew every 10 s).
    public var lifetime: TimeSpan
    /// Mesh names held at most (default 1024).
    public var maxMeshes: Int
    /// Addresses held per mesh name at most (default 32).
    public var maxAddressesPerMesh: Int
    /// Registrations held per source (IPv4 address or IPv6 /64) across all names (default 8:
    /// a host's room under its own name and the lobby name is 2, so 4 rooms behind one address).
    public var maxPerSource: Int
    /// Meshes sorted by name.
    private var meshes: [Mesh] = []
    private var sequence: UInt64 = 0

    /// An empty registry.
    public init(lifetime: TimeSpan = .seconds(30), maxMeshes: Int = 1024, maxAddressesPerMesh: Int = 32, maxPerSource: Int = 8) {
        self.lifetime = lifetime
        self.maxMeshes = maxMeshes
        self.maxAddressesPerMesh = maxAddressesPerMesh
        self.maxPerSource = maxPerSource
    }

    /// Names currently held (after the last expiry).
    public var meshCount: Int { meshes.count }

    /// Registrations held for `address`'s source (its IPv4 address or IPv6 /64) at `now`.
    public mutating func count(fromSourceOf address: UDPAddress, at now: Timestamp) -> Int {
        expire(at: now)
        let source = Self.source(of: address)
        return meshes.reduce(0) { $0 + $1.registrations.count { $0.source == source } }
    }

    /// The quota key of an address: IPv4 address, or the /64 prefix of an IPv6 one (a host
    /// usually holds a whole /64, so per-address quotas would not bound it).
    static func source(of address: UDPAddress) -> [UInt8] {
        let ip = address.ipBytes
        return [address.family.rawValue] + (address.family == .v6 ? Array(ip.prefix(8)) : ip)
    }

    /// Records (or renews) `address` as a member of `meshName`; `via` and `nonce` (the
    /// register's source and nonce) say where to ask the member to punch toward a newcomer.
    @discardableResult
    public mutating func register(meshName: String, address: UDPAddress, at now: Timestamp, via: UDPAddress? = nil, nonce: UInt64 = 0) -> Outcome {
        expire(at: now)
        sequence += 1
        var registration = Registration(address: address, expiresAt: now + lifetime, sequence: sequence, source: Self.source(of: address), via: via, nonce: nonce)
        registration.firstStored = sequence
        if let index = meshes.firstIndex(where: { $0.name == meshName }),
           let known = meshes[index].registrations.firstIndex(where: { $0.address == address }) {
            // A renewal: newest last again, no bound involved; it keeps its standing.
            registration.firstStored = meshes[index].registrations[known].firstStored
            registration.details = meshes[index].registrations[known].details
            registration.local = meshes[index].registrations[known].local
            meshes[index].registrations.remove(at: known)
            meshes[index].registrations.append(registration)
            return .stored
        }
        guard meshes.count < maxMeshes || meshes.contains(where: { $0.name == meshName }) else { return .namesFull }
        if count(of: registration.source) >= maxPerSource { removeOldest(of: registration.source) }
        let index: Int
        if let found = meshes.firstIndex(where: { $0.name == meshName }) {
            index = found
        } else {
            index = meshes.firstIndex { $0.name > meshName } ?? meshes.count
            meshes.insert(Mesh(name: meshName, registrations: []), at: index)
        }
        if meshes[index].registrations.count >= maxAddressesPerMesh {
            meshes[index].registrations.remove(at: Self.evictionIndex(in: meshes[index].registrations, newcomer: registration.source))
        }
        meshes[index].registrations.append(registration)
        return .stored
    }

    /// Which registration a full name gives up: one of the source holding the most entries
    /// there, the newcomer's own source first; among tied sources the entry stored most
    /// recently (renewals keep their standing). So a flood from many sources, each holding one
    /// entry, churns through its own newest entries and never pushes out a host that has been
    /// registered, and renewing, since before it began.
    static func evictionIndex(in registrations: [Registration], newcomer: [UInt8]) -> Int {
        let counts = registrations.map { entry in registrations.count { $0.source == entry.source } }
        let most = counts.max() ?? 0
        // Oldest first, so the first entry of the newcomer's own source is its oldest.
        if let own = registrations.indices.first(where: { registrations[$0].source == newcomer && counts[$0] == most }) { return own }
        var chosen = counts.firstIndex(of: most) ?? 0
        for index in registrations.indices where counts[index] == most && registrations[index].firstStored > registrations[chosen].firstStored {
            chosen = index
        }
        return chosen
    }

    /// The live addresses of `meshName`: one per source before a second from any (sources
    /// ordered by their newest registration), each source's newest first. So an answer cut
    /// to fit its request still lists every source a flood from one host would crowd out.
    /// For an `asker` behind the same NAT as a member (its public IPv4 address), the member's
    /// LAN address stands in for its public one; the member registered at `excluding` (the
    /// asker itself) is left out.
    public mutating func resolve(meshName: String, at now: Timestamp, asker: UDPAddress? = nil, excluding: UDPAddress? = nil) -> [UDPAddress] {
        expire(at: now)
        guard let mesh = meshes.first(where: { $0.name == meshName }) else { return [] }
        var remaining = Array(mesh.registrations.reversed())
        var result: [UDPAddress] = []
        while !remaining.isEmpty {
            var taken: [[UInt8]] = []
            var later: [Registration] = []
            for entry in remaining {
                if taken.contains(entry.source) {
                    later.append(entry)
                } else {
                    taken.append(entry.source)
                    if entry.address != excluding { result.append(entry.address(for: asker)) }
                }
            }
            remaining = later
        }
        return result
    }

    /// Where to ask each live member of `meshName` to punch toward a newcomer at `newcomer`
    /// (the newcomer itself left out), in the order ``resolve(meshName:at:)`` lists them.
    public mutating func punchRoutes(meshName: String, newcomer: UDPAddress, at now: Timestamp) -> [(via: UDPAddress, nonce: UInt64, member: UDPAddress)] {
        expire(at: now)
        guard let mesh = meshes.first(where: { $0.name == meshName }) else { return [] }
        return mesh.registrations.reversed().compactMap { entry in
            guard let via = entry.via, entry.address != newcomer else { return nil }
            return (via, entry.nonce, entry.address)
        }
    }

    /// Attaches `details` (at most ``RendezvousMessage/maxDetailsBytes``) to the live registration
    /// of `address` under `meshName`, when it came from `via` with `nonce` (only the registering
    /// socket, which knows its nonce, can); returns whether it did.
    @discardableResult
    public mutating func attach(_ details: [UInt8], meshName: String, address: UDPAddress, via: UDPAddress, nonce: UInt64, at now: Timestamp) -> Bool {
        expire(at: now)
        guard details.count <= RendezvousMessage.maxDetailsBytes,
              let mesh = meshes.firstIndex(where: { $0.name == meshName }),
              let entry = meshes[mesh].registrations.firstIndex(where: { $0.address == address && $0.via == via && $0.nonce == nonce })
        else { return false }
        meshes[mesh].registrations[entry].details = details
        return true
    }

    /// Attaches a member's LAN address (``Registration/local``) like ``attach(_:meshName:address:via:nonce:at:)``:
    /// only from the registering socket, with its nonce, and only a private IPv4 address.
    @discardableResult
    public mutating func attach(local: UDPAddress, meshName: String, address: UDPAddress, via: UDPAddress, nonce: UInt64, at now: Timestamp) -> Bool {
        expire(at: now)
        guard local.isPrivateIPv4, local != address,
              let mesh = meshes.firstIndex(where: { $0.name == meshName }),
              let entry = meshes[mesh].registrations.firstIndex(where: { $0.address == address && $0.via == via && $0.nonce == nonce })
        else { return false }
        meshes[mesh].registrations[entry].local = local
        return true
    }

    /// The registered (public) address of the live member of `meshName` that `asker` heard as
    /// `heard`: itself, or the LAN address this registry handed that asker instead (``resolve(meshName:at:asker:excluding:)``).
    public mutating func registeredAddress(meshName: String, heardAs heard: UDPAddress, by asker: UDPAddress, at now: Timestamp) -> UDPAddress? {
        expire(at: now)
        return meshes.first { $0.name == meshName }?.registrations.first { $0.address(for: asker) == heard || $0.address == heard }?.address
    }

    /// What the live member at `address` attached under `meshName` (empty: nothing, or no such member).
    public mutating func details(meshName: String, address: UDPAddress, at now: Timestamp) -> [UInt8] {
        expire(at: now)
        return meshes.first { $0.name == meshName }?.registrations.first { $0.address == address }?.details ?? []
    }

    private func count(of source: [UInt8]) -> Int {
        meshes.reduce(0) { $0 + $1.registrations.count { $0.source == source } }
    }

    /// Drops `source`'s oldest registration in any name (and the name, if that emptied it).
    private mutating func removeOldest(of source: [UInt8]) {
        var oldest: (mesh: Int, entry: Int, sequence: UInt64)?
        for (meshIndex, mesh) in meshes.enumerated() {
            guard let entry = mesh.registrations.firstIndex(where: { $0.source == source }) else { continue }
            let candidate = mesh.registrations[entry].sequence
            if oldest == nil || candidate < oldest!.sequence { oldest = (meshIndex, entry, candidate) }
        }
        guard let oldest else { return }
        meshes[oldest.mesh].registrations.remove(at: oldest.entry)
        if meshes[oldest.mesh].registrations.isEmpty { meshes.remove(at: oldest.mesh) }
    }

    private mutating func expire(at now: Timestamp) {
        for index in meshes.indices { meshes[index].registrations.removeAll { $0.expiresAt <= now } }
        meshes.removeAll { $0.registrations.isEmpty }
    }
}
