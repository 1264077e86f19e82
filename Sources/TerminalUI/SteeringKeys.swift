import MeshplayCore

/// Which keys steer, and the input each one plays. Grid games share the convention
/// 1 up, 2 right, 3 down, 4 left (Snake's `Direction` raw values).
public enum SteeringKeys {
    public static let up = PlayerInput(rawValue: 1)
    public static let right = PlayerInput(rawValue: 2)
    public static let down = PlayerInput(rawValue: 3)
    public static let left = PlayerInput(rawValue: 4)

    /// Arrows, WASD and hjkl (either case); nil for any other key.
    public static func input(for key: Key) -> PlayerInput? {
        switch key {
        case .up: return up
        case .down: return down
        case .left: return left
        case .right: return right
        case .character(let character):
            switch character.lowercased() {
            case "w", "k": return up
            case "s", "j": return down
            case "a", "h": return left
            case "d", "l": return right
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Arrows only: the keys that steer even while the chat line is being typed.
    public static func arrowInput(for key: Key) -> PlayerInput? {
        switch key {
        case .up, .down, .left, .right: return input(for: key)
        default: return nil
        }
    }
}
