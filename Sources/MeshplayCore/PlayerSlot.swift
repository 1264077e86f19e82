/// A player's seat in a game: 0 ..< `PlayerSlot.capacity`.
///
/// Every per-player collection in simulation code is an array indexed by slot,
/// never a dictionary, so iteration order is the same on every peer.
public struct PlayerSlot: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The most players any game can seat (a full mesh is at most 32 nodes).
    public static let capacity = 32

    public var rawValue: UInt8

    /// Fails for values outside `0 ..< capacity`.
    public init?(rawValue: UInt8) {
        guard Int(rawValue) < PlayerSlot.capacity else { return nil }
        self.rawValue = rawValue
    }

    /// A slot from a trusted index; traps on an out-of-range value (a programming error).
    public init(_ index: Int) {
        precondition(index >= 0 && index < PlayerSlot.capacity, "player slot \(index) out of range")
        self.rawValue = UInt8(index)
    }

    /// The slot as an array index.
    public var index: Int { Int(rawValue) }

    public static func < (lhs: PlayerSlot, rhs: PlayerSlot) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { "P\(rawValue + 1)" }
}

/// One seated player as the game sees it.
public struct PlayerInfo: Hashable, Sendable {
    public var slot: PlayerSlot
    public var name: String

    public init(slot: PlayerSlot, name: String) {
        self.slot = slot
        self.name = name
    }
}
