/// One of the four ways a player can step. The raw values are the move codes of
/// `BlastInput`: 1 up, 2 right, 3 down, 4 left (as in Snake).
public enum BlastDirection: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case up = 1
    case right = 2
    case down = 3
    case left = 4

    /// Up, right, down, left, built once (`allCases` may build a new array on every use,
    /// which hot loops avoid).
    static let inOrder: [BlastDirection] = [.up, .right, .down, .left]

    /// Column change of one step.
    public var dx: Int {
        switch self {
        case .left: -1
        case .right: 1
        case .up, .down: 0
        }
    }

    /// Row change of one step (rows grow downwards).
    public var dy: Int {
        switch self {
        case .up: -1
        case .down: 1
        case .left, .right: 0
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
