/// One player's input for one tick, opaque to the engine and meaningful to the game.
///
/// Sixteen bits are enough for grid games (a direction plus buttons) and keep the
/// lockstep stream and replay files small: inputs are varint-coded and most ticks
/// repeat the previous value, which costs nothing in a replay.
public struct PlayerInput: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt16

    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// "Nothing pressed": the value a game receives for a tick where a player did nothing.
    public static let none = PlayerInput(rawValue: 0)

    public var description: String { String(rawValue) }
}
