/// What a destroyed crate may leave behind. Picking one up is permanent for the match,
/// up to the caps in `BlastConfig`.
public enum BlastPowerUp: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    /// Blasts of this player's later bombs reach one cell further.
    case range = 1
    /// One more bomb on the board at a time.
    case bomb = 2
    /// One tick less between steps (see `BlastConfig.moveTicks`).
    case speed = 3

    public var description: String {
        switch self {
        case .range: "range"
        case .bomb: "bomb"
        case .speed: "speed"
        }
    }
}

/// What is on a grid cell's ground, one byte per cell: floor, wall, a crate (and what it
/// hides) or a power-up lying in the open. Bombs, flames and players are kept apart.
enum Terrain {
    static let floor: UInt8 = 0
    static let wall: UInt8 = 1
    /// A crate hiding nothing; `crate + kind.rawValue` hides a power-up (codes 2...5).
    static let crate: UInt8 = 2
    /// A power-up in the open is `item + kind.rawValue` (codes 6...8).
    static let item: UInt8 = 5
    /// Codes above this are not valid terrain.
    static let last: UInt8 = 8

    @inline(__always) static func isCrate(_ code: UInt8) -> Bool { code >= crate && code <= crate + 3 }
    @inline(__always) static func isItem(_ code: UInt8) -> Bool { code > item && code <= last }
    /// Floor or a power-up: a player may walk there (unless a bomb is on it).
    @inline(__always) static func isWalkable(_ code: UInt8) -> Bool { code == floor || isItem(code) }

    static func crate(hiding powerUp: BlastPowerUp?) -> UInt8 { crate + (powerUp?.rawValue ?? 0) }
    static func item(_ powerUp: BlastPowerUp) -> UInt8 { item + powerUp.rawValue }

    /// The power-up a crate hides or an item is, if any.
    static func powerUp(in code: UInt8) -> BlastPowerUp? {
        if isCrate(code) { return BlastPowerUp(rawValue: code - crate) }
        if isItem(code) { return BlastPowerUp(rawValue: code - item) }
        return nil
    }

    /// What a crate leaves when it has burnt: its power-up, or floor.
    @inline(__always) static func burnt(_ code: UInt8) -> UInt8 { code == crate ? floor : code + (item - crate) }
}
