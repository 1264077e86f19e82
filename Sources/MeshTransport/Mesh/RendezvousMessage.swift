import MeshplayCore

/// The rendezvous protocol's datagrams (cleartext; see MeshProtocol.md).
///
/// Header: `"MPRV"` (4), version = 1 (1), kind (1). Then:
/// - register (1): port (u16 LE), mesh name (varint length ≤ 64, UTF-8). No reply.
/// - resolve (2): request id (u64), mesh name, then zero padding up to ``resolvePaddedSize``.
/// - answer (3): request id (u64), count (varint), that many addresses (family 4|6, IP bytes, port u16 BE).
///
/// An answer is never larger than the resolve it answers (the padding pays for it), so the
/// rendezvous node cannot be used to amplify a spoofed-source flood.
public enum RendezvousMessage: Sendable, Equatable {
    /// "Note my port as a member of this mesh."
    case register(meshName: String, port: UInt16)
    /// "Who is in this mesh?" (padded, so the answer cannot be larger).
    case resolve(requestID: UInt64, meshName: String)
    /// The members registered for the resolve with this id, as many as fit.
    case answer(requestID: UInt64, addresses: [UDPAddress])

    static let magic: [UInt8] = Array("MPRV".utf8)
    static let maxNameBytes = 64
    /// Resolve requests are padded to this size; answers must fit in it.
    static let resolvePaddedSize = 512
    static let headerSize = 6

    /// The datagram.
    public var encoded: [UInt8] {
        var writer = ByteWriter(capacity: 96)
        writer.writeBytes(Self.magic)
        writer.writeUInt8(1)
        switch self {
        case .register(let name, let port):
            writer.writeUInt8(1)
            writer.writeUInt16(port)
            writer.writeLengthPrefixed(Array(name.utf8))
        case .resolve(let id, let name):
            writer.writeUInt8(2)
            writer.writeUInt64(id)
            writer.writeLengthPrefixed(Array(name.utf8))
            writer.writeBytes([UInt8](repeating: 0, count: max(0, Self.resolvePaddedSize - writer.count)))
        case .answer(let id, let addresses):
            writer.writeUInt8(3)
            writer.writeUInt64(id)
            let encoded = addresses.map(\.meshEncoded)
            var fitting: [[UInt8]] = []
            var size = writer.count + 1
            for address in encoded where size + address.count <= Self.resolvePaddedSize {
                fitting.append(address)
                size += address.count
            }
            writer.writeVarint(fitting.count)
            for address in fitting { writer.writeBytes(address) }
        }
        return writer.bytes
    }

    /// Parses a datagram; nil for anything that is not a well-formed rendezvous message.
    public init?(decoding bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        do {
            guard try reader.readBytes(count: 4) == Self.magic, try reader.readUInt8() == 1 else { return nil }
            switch try reader.readUInt8() {
            case 1:
                let port = try reader.readUInt16()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                try reader.expectEnd()
                guard port != 0 else { return nil }
                self = .register(meshName: name, port: port)
            case 2:
                let id = try reader.readUInt64()
                let name = try reader.readString(maxBytes: Self.maxNameBytes)
                // Unpadded requests are refused: the answer could be bigger than they are.
                guard bytes.count >= Self.resolvePaddedSize else { return nil }
                self = .resolve(requestID: id, meshName: name)
            case 3:
                let id = try reader.readUInt64()
                let count = try reader.readVarint(max: Self.resolvePaddedSize / 7, "address count")
                var addresses: [UDPAddress] = []
                for _ in 0..<count {
                    let family = try reader.readUInt8()
                    let size = family == 4 ? 7 : family == 6 ? 19 : 0
                    guard size > 0 else { return nil }
                    guard let address = UDPAddress(meshEncoded: [family] + (try reader.readBytes(count: size - 1))) else { return nil }
                    addresses.append(address)
                }
                try reader.expectEnd()
                self = .answer(requestID: id, addresses: addresses)
            default:
                return nil
            }
        } catch {
            return nil
        }
    }
}
