/// What ``MeshMembership`` asks its shell (``MeshNode``) to do.
public enum MembershipDirective<Address: MeshAddress>: Sendable {
    /// Send these membership bytes to a linked peer, reliably on ``MeshChannel/membership``.
    case send([UInt8], to: PeerID)
    /// Ask `peer` through neighbours whether it is alive (a relayed probe).
    case probe(PeerID)
    /// Open a link to this address.
    case connect(Address)
    /// Close the link to this peer (the topology no longer wants it).
    case disconnect(PeerID)
    /// Forget per-peer state kept elsewhere (for example relay de-duplication).
    case forget(PeerID)
    /// A member joined (or came back).
    case joined(PeerID)
    /// A member left on purpose.
    case left(PeerID)
    /// A member was declared lost.
    case lost(PeerID)
    /// A linked peer that is no member here sent its own record: a mesh node (a stranger,
    /// with ``MeshIntroductions/vouchedOnly``), not a link-only peer.
    case announced(PeerID)
}
