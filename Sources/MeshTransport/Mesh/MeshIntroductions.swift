/// Whose word brings a new member into a node's mesh (MeshProtocol.md, "Who may introduce").
public enum MeshIntroductions: Sendable, Equatable {
    /// Any linked member's records count: right for a mesh with a password, where every
    /// node that can link is an insider. Members learned by gossip count at once, which a
    /// partial mesh (more than ``MeshConfiguration/fullMeshLimit`` members) needs.
    case anyMember
    /// Only peers the layer above vouches for (``MeshNode/vouch(for:endpoint:at:into:)``:
    /// a room's members, a match's players) may introduce others, and a member they
    /// introduce counts only once this node has its own handshake with it. Any other linked
    /// peer is a stranger: its records about others change nothing, its own record is kept
    /// on its link only, and it is never dialled, relayed through or allowed to shape the
    /// topology. Right for the open lobby, whose handshake key anyone can compute.
    case vouchedOnly
}
