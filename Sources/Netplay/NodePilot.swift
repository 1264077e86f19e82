import MeshplayCore

/// Who decides what a node does next when no person does: a bot's plan (say ready, start
/// when enough are ready, chat, leave after its games). The node asks its pilot after every
/// batch of events it reports and every few tens of milliseconds, and carries out the commands it returns, so a bot
/// and a person drive the one node type the same way (a person's commands come from the UI).
public protocol NodePilot {
    /// What to do now, having seen `events` (since the last call) and the node as it stands.
    mutating func decide(_ node: NodeStatus, events: [NodeEvent], at now: Timestamp) -> [NodeCommand]
}
