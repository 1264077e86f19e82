import MeshplayCore

/// A heading on the grid. The raw values are the `PlayerInput` raw values that
/// steer a snake: 1 up, 2 right, 3 down, 4 left.
public enum Direction: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case up = 1
    case right = 2
    case down = 3
    case left = 4

    /// The direction an input asks for; nil for "no change" (0) and for any value
    /// that is not a direction, so unknown inputs are harmless.
    @inlinable
    public init?(input: PlayerInput) {
        guard input.rawValue >= 1, input.rawValue <= 4 else { return nil }
        self.init(rawValue: UInt8(input.rawValue))
    }

    /// The input that steers a snake this way.
    public var input: PlayerInput { PlayerInput(rawValue: UInt16(rawValue)) }

    /// The opposite heading: turning into it would run into the snake's own neck.
    @inlinable
    public var opposite: Direction {
        switch self {
        case .up: .down
        case .right: .left
        case .down: .up
        case .left: .right
        }
    }

    /// Column change of one step.
    @inlinable
    public var dx: Int {
        switch self {
        case .left: -1
        case .right: 1
        case .up, .down: 0
        }
    }

    /// Row change of one step (rows grow downwards).
    @inlinable
    public var dy: Int {
        switch self {
        case .up: -1
        case .down: 1
        case .left, .right: 0
        }
    }

    /// The arrow used for a head moving this way.
    public var arrow: Unicode.Scalar {
        switch self {
        case .up: "▲"
        case .right: "▶"
        case .down: "▼"
        case .left: "◀"
        }
    }

    /// The ASCII arrow, also the map file's spawn marker.
    public var asciiArrow: Unicode.Scalar {
        switch self {
        case .up: "^"
        case .right: ">"
        case .down: "v"
        case .left: "<"
        }
    }

    public var description: String {
        switch self {
        case .up: "up"
        case .right: "right"
        case .down: "down"
        case .left: "left"
        }
    }
}
