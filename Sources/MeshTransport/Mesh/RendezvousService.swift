import MeshplayCore

/// The rendezvous node's protocol core (sans-I/O): what `meshplay resolver` does with each
/// datagram. Registrations take the sender's IP, so a node can register only addresses on
/// its own host (short of spoofing its source); a resolve is answered with at most as many
/// bytes as it carried (see ``RendezvousMessage``). Anything else gets no reply.
public struct RendezvousService: Sendable {
    /// Who registered which mesh, until when.
    public private(set) var registry: RendezvousRegistry

    /// A service over `registry`.
    public init(registry: RendezvousRegistry = RendezvousRegistry()) { self.registry = registry }

    /// Handles one datagram from `sender`; returns the reply to send back to it, if any.
    public mutating func receive(_ bytes: [UInt8], from sender: UDPAddress, at now: Timestamp) -> [UInt8]? {
        switch RendezvousMessage(decoding: bytes) {
        case .register(let name, let port):
            registry.register(meshName: name, address: sender.withPort(port), at: now)
            return nil
        case .resolve(let id, let name):
            return RendezvousMessage.answer(requestID: id, addresses: registry.resolve(meshName: name, at: now)).encoded
        case .answer, nil:
            return nil
        }
    }
}
